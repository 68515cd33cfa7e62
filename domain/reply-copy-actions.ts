import { baseLanguage, type LeadLanguage } from './language.detector';

// Replies for what the workflow and the agent do beyond qualifying: a message we cannot read
// (ask for text), a viewing or a call the lead asked for (confirm a person will follow up), and
// asking for a phone or e-mail before a web chat lead is handed to a broker. In the lead's
// language when known (English, Arabic, Hindi, Hinglish).

const UNSUPPORTED: Readonly<Record<LeadLanguage, string>> = {
  en: "Sorry, I can't open that kind of message here. Could you send it as text, please?",
  ar: 'عذراً، لا أستطيع فتح هذا النوع من الرسائل هنا. هل يمكنك إرسالها كنص من فضلك؟',
  hi: 'माफ़ कीजिए, मैं यहाँ इस तरह का संदेश नहीं खोल सकता। क्या आप इसे टेक्स्ट में भेज सकते हैं?',
  'hi-Latn': 'Sorry, main yahan is tarah ka message nahi khol sakta. Kya aap text mein bhej sakte hain?',
};

/** The polite ask for text after a message of a kind we cannot read. */
export function unsupportedReply(language: LeadLanguage): string {
  return UNSUPPORTED[language];
}

const VIEWING_ACK: Readonly<Record<'en' | 'ar' | 'hi', (when: string | null) => string>> = {
  en: (when) => `Lovely, I've asked one of our property consultants to arrange the viewing${when ? ` for ${when}` : ''}. They'll confirm with you shortly.`,
  ar: (when) => `رائع، طلبت من أحد مستشارينا ترتيب المعاينة${when ? ` في ${when}` : ''}. سيتواصل معك قريباً للتأكيد.`,
  hi: (when) => `बढ़िया, मैंने हमारे एक प्रॉपर्टी कंसल्टेंट से विज़िट तय करने को कहा है${when ? ` (${when})` : ''}। वे जल्द ही आपसे पुष्टि करेंगे।`,
};
const CALLBACK_ACK: Readonly<Record<'en' | 'ar' | 'hi', (when: string) => string>> = {
  en: (when) => `Of course. I've asked a property consultant to call you ${when}.`,
  ar: (when) => `بالتأكيد. طلبت من أحد مستشارينا الاتصال بك ${when}.`,
  hi: (when) => `ज़रूर। मैंने एक प्रॉपर्टी कंसल्टेंट से आपको ${when} कॉल करने को कहा है।`,
};
const HINGLISH_VIEWING = (when: string | null) => `Badhiya, maine hamare property consultant ko visit arrange karne ko bola hai${when ? ` (${when})` : ''}. Woh jaldi confirm karenge.`;
const HINGLISH_CALLBACK = (when: string) => `Zaroor. Maine property consultant ko bola hai ki aapko ${when} call karein.`;

/** Confirms a viewing request; `when` is the proposed time as the lead will read it. */
export function viewingAck(language: LeadLanguage, when: string | null): string {
  return language === 'hi-Latn' ? HINGLISH_VIEWING(when) : VIEWING_ACK[baseLanguage(language)](when);
}

/** Confirms a call at the time the lead asked for. */
export function callbackAck(language: LeadLanguage, when: string): string {
  return language === 'hi-Latn' ? HINGLISH_CALLBACK(when) : CALLBACK_ACK[baseLanguage(language)](when);
}

const CONTACT_ASK: Readonly<Record<LeadLanguage, string>> = {
  en: 'So our consultant can reach you, what is the best phone number or e-mail for you?',
  ar: 'حتى يتمكن مستشارنا من التواصل معك، ما هو أفضل رقم هاتف أو بريد إلكتروني لك؟',
  hi: 'ताकि हमारे कंसल्टेंट आपसे संपर्क कर सकें, आपका फ़ोन नंबर या ई-मेल क्या है?',
  'hi-Latn': 'Taaki hamare consultant aapse contact kar sakein, aapka phone number ya email kya hai?',
};

/** Asked before a web chat lead is handed to a broker, when we have no way to reach them. */
export function contactAsk(language: LeadLanguage): string {
  return CONTACT_ASK[language];
}

/** Recognises our own contact question in the history (it is asked once). */
export const CONTACT_ASKS: readonly string[] = Object.values(CONTACT_ASK);
