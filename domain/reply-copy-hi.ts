import { areaNameIn } from './geo.matcher';
import type { LeadProfile, PropertyType, Unit } from './profile.schema';
import { localMoney, type ReplyCopy } from './reply-copy.types';

// Hindi replies in the script the lead writes: Devanagari for Hindi, Latin letters for Hinglish
// (most Hinglish writers read it far more easily than Devanagari). Property words stay the
// ones Indian buyers use (flat, BHK, lakh, crore), as in any Indian property chat.

interface HiWords {
  type: Readonly<Record<PropertyType, string>>;
  money: { million: string; thousand: string; lakh: string; crore: string; currency: Readonly<Record<string, string>> };
  studio: string; in: string; or: string; upTo: (m: string) => string; from: (m: string) => string; range: (a: string, b: string) => string;
  perYear: string; perMonth: string; purpose: Readonly<Record<'buyer' | 'investor' | 'tenant', string>>; property: string;
  budget: string; plus: string; offPlan: string; script: 'Devanagari' | null;
}

function makeSummary(w: HiWords): (p: LeadProfile) => string {
  const place = (n: string): string => (w.script ? areaNameIn(n, w.script) ?? n : n);
  return (p) => {
    const studio = p.bedsMin === 0 && p.bedsMax === 0;
    const beds = studio ? w.studio
      : p.bedsMin !== null && p.bedsMax !== null && p.bedsMin !== p.bedsMax ? `${p.bedsMin}-${p.bedsMax} BHK`
        : p.bedsMin !== null && p.bedsMax === null ? `${p.bedsMin}${w.plus} BHK` : p.bedsMin !== null ? `${p.bedsMin} BHK` : '';
    const type = p.propertyType && !(studio && p.propertyType === 'apartment') ? w.type[p.propertyType] : '';
    const what = [beds, type].filter(Boolean).join(' ') || (p.persona || p.areas.length || p.city ? w.property : '');
    const where = p.areas.length ? `${p.areas.map(place).join(` ${w.or} `)} ${w.in}` : p.city ? `${place(p.city)} ${w.in}` : '';
    const purpose = p.persona ? w.purpose[p.persona] : '';
    const head = [where, what, purpose].filter(Boolean).join(' ');
    const bits = head ? [head] : [];
    if (p.currency && (p.budgetMax !== null || p.budgetMin !== null)) {
      const per = p.budgetPeriod === 'year' ? ` ${w.perYear}` : p.budgetPeriod === 'month' ? ` ${w.perMonth}` : '';
      const m = (v: number): string => localMoney(v, p.currency!, w.money);
      if (p.budgetMin !== null && p.budgetMax !== null) bits.push(`${w.budget} ${w.range(m(p.budgetMin), m(p.budgetMax))}${per}`);
      else if (p.budgetMax !== null) bits.push(`${w.budget} ${w.upTo(m(p.budgetMax))}${per}`);
      else bits.push(`${w.budget} ${w.from(m(p.budgetMin!))}${per}`);
    }
    return bits.join(', ');
  };
}

function makeUnitLine(w: HiWords): (u: Unit, i: number) => string {
  return (u, i) => {
    const where = w.script ? areaNameIn(u.area, w.script) ?? u.area : u.area;
    const what = u.beds === 0 ? w.studio : `${u.beds} BHK ${w.type[u.propertyType]}`;
    const period = u.listing === 'rent' ? ` ${u.rentPeriod === 'month' ? w.perMonth : w.perYear}` : '';
    const facts = [`${localMoney(u.price, u.currency, w.money)}${period}`, u.areaM2 ? `${Math.round(u.areaM2)} m²` : null, u.completion === 'off-plan' ? w.offPlan : null]
      .filter((x): x is string => Boolean(x));
    return `${i + 1}. *${where} ${w.in} ${what}*: ${facts.join(' · ')}`;
  };
}

const DEVA: HiWords = {
  type: { apartment: 'फ्लैट', villa: 'विला', townhouse: 'टाउनहाउस', penthouse: 'पेंटहाउस', duplex: 'डुप्लेक्स', office: 'ऑफिस', retail: 'दुकान', land: 'प्लॉट' },
  money: { million: 'मिलियन', thousand: 'हज़ार', lakh: 'लाख', crore: 'करोड़', currency: { INR: '₹', USD: '$', GBP: '£', EUR: '€', AED: 'दिरहम' } },
  studio: 'स्टूडियो', in: 'में', or: 'या', upTo: (m) => `${m} तक`, from: (m) => `${m} से ऊपर`, range: (a, b) => `${a} से ${b}`,
  perYear: 'सालाना', perMonth: 'महीना', purpose: { buyer: 'खरीदने के लिए', tenant: 'किराए पर', investor: 'निवेश के लिए' }, property: 'प्रॉपर्टी',
  budget: 'बजट', plus: '+', offPlan: 'अंडर-कंस्ट्रक्शन', script: 'Devanagari',
};
const LATN: HiWords = {
  type: { apartment: 'flat', villa: 'villa', townhouse: 'townhouse', penthouse: 'penthouse', duplex: 'duplex', office: 'office', retail: 'shop', land: 'plot' },
  money: { million: 'million', thousand: 'k', lakh: 'lakh', crore: 'crore', currency: { INR: '₹', USD: '$', GBP: '£', EUR: '€', AED: 'AED' } },
  studio: 'studio', in: 'mein', or: 'ya', upTo: (m) => `${m} tak`, from: (m) => `${m} se upar`, range: (a, b) => `${a} se ${b}`,
  perYear: 'per year', perMonth: 'per month', purpose: { buyer: 'kharidne ke liye', tenant: 'rent pe', investor: 'investment ke liye' }, property: 'property',
  budget: 'budget', plus: '+', offPlan: 'under construction', script: null,
};

export const HI_COPY: ReplyCopy = {
  language: 'hi',
  hi: (name) => (name ? [`नमस्ते ${name} जी!`, `नमस्ते ${name}!`, `नमस्ते ${name}, संपर्क करने के लिए धन्यवाद!`] : ['नमस्ते!', 'नमस्ते, संपर्क करने के लिए धन्यवाद!']),
  ackLead: (name) => (name ? [`धन्यवाद ${name} जी!`, `नमस्ते ${name}!`] : ['संपर्क करने के लिए धन्यवाद!', 'नमस्ते!']),
  questions: {
    persona: ['क्या आप खरीदना चाहते हैं, किराए पर लेना चाहते हैं, या निवेश करना चाहते हैं?', 'बताइए, आप खरीद रहे हैं, किराए पर ले रहे हैं या निवेश कर रहे हैं?'],
    area: ['आप किस इलाके में देख रहे हैं?', 'कोई खास इलाका या एरिया पसंद है?'],
    propertyType: ['किस टाइप की प्रॉपर्टी चाहिए (फ्लैट, विला, टाउनहाउस) और कितने बेडरूम?'],
    beds: ['कितने बेडरूम चाहिए?', 'कितने BHK चाहिए?'],
    budget: ['आपका बजट कितना है?', 'मोटे तौर पर आपका बजट कितना है?'],
    timeline: ['आप कब तक शिफ्ट होना चाहते हैं?', 'कब तक मूव करने का प्लान है?'],
    finance: ['पेमेंट कैश में करेंगे या होम लोन लेंगे?', 'आप कैश देंगे या लोन लेंगे?'],
  },
  optOut: 'आपकी सदस्यता रद्द कर दी गई है, अब आपको हमारे संदेश नहीं मिलेंगे। धन्यवाद!',
  notInterested: (name) => [`कोई बात नहीं${name ? ` ${name} जी` : ''}, बताने के लिए धन्यवाद। कभी भी ज़रूरत हो तो मैसेज कीजिए।`],
  human: (name) => [`ज़रूर${name ? ` ${name} जी` : ''}! मैं आपको अभी हमारे प्रॉपर्टी कंसल्टेंट से जोड़ रहा हूँ, वे जल्द ही संपर्क करेंगे।`],
  handoffOffers: ['क्या हमारे प्रॉपर्टी कंसल्टेंट आपको कॉल करके विज़िट तय कर दें? ठीक रहेगा?', 'क्या मैं हमारे किसी कंसल्टेंट से आपको कॉल करवा दूँ, ताकि विज़िट प्लान हो सके?'],
  handoffNotes: ['मैं हमारे एक प्रॉपर्टी कंसल्टेंट से भी कहूँगा कि वे विज़िट के लिए आपसे संपर्क करें।'],
  handoffConfirmed: ['बढ़िया! हमारे प्रॉपर्टी कंसल्टेंट आपको जल्द ही कॉल करेंगे। कॉल के लिए कौन सा समय ठीक रहेगा?', 'बहुत अच्छा, आपकी डिटेल्स कंसल्टेंट को भेज दी हैं, वे जल्द कॉल करेंगे। आपसे बात करने का अच्छा समय कब है?'],
  afterHandoff: ['हमारे कंसल्टेंट जल्द ही संपर्क करेंगे। तब तक और कुछ मदद करूँ?', 'कुछ और याद आए तो यहीं मैसेज कर दीजिए।'],
  callTimeAck: ['ठीक है, मैं उन्हें बता दूँगा। जल्द बात होगी!', 'बढ़िया, मैं यह आगे बता दूँगा ताकि सही समय पर कॉल हो।'],
  meanwhile: (q) => `तब तक, एक छोटा सा सवाल: ${q}`,
  declined: ['कोई बात नहीं, हम यहीं बात करते रहते हैं।', 'बिल्कुल, कोई जल्दी नहीं। यहीं आगे बढ़ते हैं।'],
  keepLooking: ' मैं नज़र रखूँगा और कुछ नया मिलते ही भेज दूँगा।',
  thanksReply: ['आपका स्वागत है!', 'कोई बात नहीं!'],
  genericAck: ['धन्यवाद!', 'ठीक है, धन्यवाद।', 'समझ गया।'],
  personaAck: { tenant: ['ठीक है, किराए पर।'], investor: ['निवेश, बढ़िया।'], buyer: ['बढ़िया, खरीदना है।'] },
  timelineAck: { '0-3m': ['ठीक है, जल्दी ही।'], '3-6m': ['ठीक है, अगले कुछ महीनों में।'], '6-12m': ['ठीक है, अगले साल तक, कोई जल्दी नहीं।'], '12m+': ['ठीक है, लंबी योजना है।'] },
  financeAck: { cash: ['कैश, बढ़िया।'], preapproved: ['लोन पहले से अप्रूव्ड है, यह बहुत अच्छा है।'], mortgage: ['कोई बात नहीं, हम होम लोन सलाहकारों के साथ काम करते हैं।'] },
  summary: makeSummary(DEVA),
  summaryLines: (known, first) => (first ? [`तो आपको चाहिए: ${known}।`, `नोट कर लिया: ${known}।`] : [`बढ़िया, यानी ${known}।`, `ठीक है: ${known}।`]),
  pinAck: (names) => `लोकेशन भेजने के लिए धन्यवाद, यह ${names.map((n) => areaNameIn(n, 'Devanagari') ?? n).join(' या ')} है।`,
  matchesIntro: (close) => (close ? ['ये कुछ अच्छे विकल्प हैं:', 'ये विकल्प आपको पसंद आ सकते हैं:'] : ['बिल्कुल सटीक तो नहीं, पर ये सबसे करीबी विकल्प हैं:']),
  noMatch: ['अभी वहाँ कुछ लिस्टेड नहीं है, पर नया स्टॉक आता रहता है और मैं नज़र रखूँगा।'],
  unitLine: makeUnitLine(DEVA),
  greatFit: ['यह आपके लिए अच्छा मैच लगता है।', 'आपने मुझे सारी जानकारी दे दी है।'],
  moreOptions: ['क्या हमारे एजेंट आपको और विकल्पों के साथ कॉल करें?'],
  special: (kind, next, handedOff) => {
    switch (kind) {
      case 'voice': return ['माफ़ कीजिए, मैं यहाँ वॉइस नोट नहीं सुन सकता। क्या आप लिखकर भेज देंगे?'];
      case 'photo': return [`फोटो के लिए धन्यवाद! मैं यहाँ अटैचमेंट नहीं खोल सकता, ${next ?? 'क्या आप कुछ शब्दों में बता देंगे कि आपको क्या चाहिए?'}`];
      case 'document': return [`भेजने के लिए धन्यवाद! मैं यहाँ अटैचमेंट नहीं खोल सकता, ${next ?? 'क्या आप कुछ शब्दों में बता देंगे कि आपको क्या चाहिए?'}`];
      case 'location': return ['लोकेशन के लिए धन्यवाद! यह कौन सा इलाका है, ताकि मैं आसपास देख सकूँ?'];
      case 'contact': return [`कॉन्टैक्ट शेयर करने के लिए धन्यवाद, मैं इसे टीम को दे दूँगा।${next ? ` ${next}` : ''}`];
      default: return [`👍${next ? ` ${next}` : handedOff ? ' हमारे कंसल्टेंट जल्द संपर्क करेंगे।' : ' क्या मैं और विकल्प भेजूँ?'}`];
    }
  },
};

export const HI_LATN_COPY: ReplyCopy = {
  language: 'hi-Latn',
  hi: (name) => (name ? [`Namaste ${name} ji!`, `Hi ${name}!`, `Namaste ${name}, contact karne ke liye thanks!`] : ['Namaste!', 'Hi, contact karne ke liye thanks!']),
  ackLead: (name) => (name ? [`Thanks ${name} ji!`, `Namaste ${name}!`] : ['Contact karne ke liye thanks!', 'Namaste!']),
  questions: {
    persona: ['Aap kharidna chahte hain, rent pe lena chahte hain, ya invest karna chahte hain?', 'Bataiye, buy kar rahe hain, rent pe le rahe hain ya invest kar rahe hain?'],
    area: ['Aap kis area mein dekh rahe hain?', 'Koi khaas area ya locality pasand hai?'],
    propertyType: ['Kaunsa property type chahiye (flat, villa, townhouse) aur kitne bedrooms?'],
    beds: ['Kitne bedrooms chahiye?', 'Kitne BHK chahiye?'],
    budget: ['Aapka budget kitna hai?', 'Roughly budget kitna soch rahe hain?'],
    timeline: ['Aap kab tak shift karna chahte hain?', 'Kab tak move karne ka plan hai?'],
    finance: ['Payment cash mein karenge ya home loan lenge?', 'Cash denge ya loan lenge?'],
  },
  optOut: 'Aapko unsubscribe kar diya gaya hai, ab aapko humare messages nahi aayenge. Thank you!',
  notInterested: (name) => [`Koi baat nahi${name ? ` ${name} ji` : ''}, batane ke liye thanks. Kabhi bhi zarurat ho toh message kijiye.`],
  human: (name) => [`Zaroor${name ? ` ${name} ji` : ''}! Main aapko abhi humare property consultant se connect kar raha hoon, woh jaldi contact karenge.`],
  handoffOffers: ['Kya humare property consultant aapko call karke site visit fix kar dein? Theek rahega?', 'Kya main humare kisi consultant se aapko call karwa doon, taaki visits plan ho sakein?'],
  handoffNotes: ['Main humare ek property consultant ko bhi bolunga ki visits ke liye aapse contact karein.'],
  handoffConfirmed: ['Badhiya! Humare property consultant aapko jaldi call karenge. Call ke liye kaunsa time theek rahega?', 'Bahut accha, aapki details consultant ko bhej di hain, woh jaldi call karenge. Aapse baat karne ka sahi time kab hai?'],
  afterHandoff: ['Humare consultant jaldi contact karenge. Tab tak aur kuch help karun?', 'Kuch aur yaad aaye toh yahin message kar dijiye.'],
  callTimeAck: ['Theek hai, main unhe bata dunga. Jaldi baat hogi!', 'Badhiya, main yeh aage bata dunga taaki sahi time pe call ho.'],
  meanwhile: (q) => `Tab tak, ek chhota sa sawaal: ${q.charAt(0).toLowerCase()}${q.slice(1)}`,
  declined: ['Koi baat nahi, hum yahin baat karte rehte hain.', 'Bilkul, koi jaldi nahi. Yahin aage badhte hain.'],
  keepLooking: ' Main nazar rakhunga aur kuch naya milte hi bhej dunga.',
  thanksReply: ['Welcome!', 'Koi baat nahi!'],
  genericAck: ['Thanks!', 'Theek hai, thank you.', 'Samajh gaya.'],
  personaAck: { tenant: ['Theek hai, rent pe.'], investor: ['Investment, badhiya.'], buyer: ['Badhiya, kharidna hai.'] },
  timelineAck: { '0-3m': ['Theek hai, jaldi hi.'], '3-6m': ['Theek hai, agle kuch mahino mein.'], '6-12m': ['Theek hai, agle saal tak, koi jaldi nahi.'], '12m+': ['Theek hai, long-term plan hai.'] },
  financeAck: { cash: ['Cash, badhiya.'], preapproved: ['Loan pehle se approved hai, yeh bahut accha hai.'], mortgage: ['Koi baat nahi, hum home loan advisors ke saath kaam karte hain.'] },
  summary: makeSummary(LATN),
  summaryLines: (known, first) => (first ? [`Toh aapko chahiye: ${known}.`, `Note kar liya: ${known}.`] : [`Badhiya, matlab ${known}.`, `Theek hai: ${known}.`]),
  pinAck: (names) => `Location ke liye thanks, yeh ${names.join(' ya ')} hai.`,
  matchesIntro: (close) => (close ? ['Yeh kuch acche options hain:', 'Yeh options aapko pasand aa sakte hain:'] : ['Bilkul exact toh nahi, par yeh sabse close options hain:']),
  noMatch: ['Abhi wahan kuch listed nahi hai, par naya stock aata rehta hai aur main nazar rakhunga.'],
  unitLine: makeUnitLine(LATN),
  greatFit: ['Yeh aapke liye accha match lagta hai.', 'Aapne mujhe saari details de di hain.'],
  moreOptions: ['Kya humare agent aapko aur options ke saath call karein?'],
  special: (kind, next, handedOff) => {
    switch (kind) {
      case 'voice': return ['Sorry, main yahan voice note nahi sun sakta. Kya aap likh ke bhej denge?'];
      case 'photo': return [`Photo ke liye thanks! Main yahan attachment nahi khol sakta, ${next ?? 'kya aap kuch words mein bata denge ki aapko kya chahiye?'}`];
      case 'document': return [`Bhejne ke liye thanks! Main yahan attachment nahi khol sakta, ${next ?? 'kya aap kuch words mein bata denge ki aapko kya chahiye?'}`];
      case 'location': return ['Location ke liye thanks! Yeh kaunsa area hai, taaki main aas-paas dekh sakun?'];
      case 'contact': return [`Contact share karne ke liye thanks, main team ko de dunga.${next ? ` ${next}` : ''}`];
      default: return [`👍${next ? ` ${next}` : handedOff ? ' Humare consultant jaldi contact karenge.' : ' Kya main aur options bhejun?'}`];
    }
  },
};
