import { HINDI_NUMBER_WORDS } from './numerals';
import { lexicon } from './text-ar.normalizer';

// Hindi (Devanagari) and Hinglish read into the plain English the parsers know. Devanagari
// content words become English ("फ्लैट" → flat, "करोड़" → crore); its postpositions become
// their Hinglish spelling ("तक" → tak, "से" → se), so that one set of Hinglish rules serves
// both scripts: "2 mahine mein" → "within 2 months", "agle saal" → "next year", "do BHK" → "2 BHK".
// The Hinglish rules are phrases, never lone short words: "do", "teen", "char" and "se" are
// English too and change only next to a bedroom, money or time word.

const DEVANAGARI_WORDS: Readonly<Record<string, string>> = lexicon(`
मुझे:i मुझको:i हमें:we हमको:we हम:we मैं:i चाहिए:want चाहिये:want चाहता:want चाहती:want चाहते:want ढूंढ:looking_for ढूँढ:looking_for तलाश:looking_for
है:hai हैं:hain का:ka की:ki के:ke को:ko में:mein मे:mein से:se तक:tak पर:pe पे:pe ऊपर:upar उपर:upar ज़्यादा:zyada ज्यादा:zyada कम:kam
अंदर:andar अन्दर:andar भीतर:andar बाद:baad पहले:pehle और:and या:or नहीं:nahi नही:nahi लेकिन:but सिर्फ:sirf बस:bas लगभग:around करीब:around क़रीब:around
बजट:budget लाख:lakh लाख़:lakh लाखों:lakh करोड़:crore करोड:crore करोड़ों:crore हज़ार:thousand हजार:thousand रुपये:rupees रुपए:rupees रुपया:rupees रु:rs
दिरहम:aed डॉलर:dollars डालर:dollars पाउंड:pounds किराया:kiraye किराए:kiraye किराये:kiraye किराय:kiraye किरायेदार:tenant रेंट:rent
खरीदना:buy खरीदने:buy ख़रीदना:buy ख़रीदने:buy खरीद:buy ख़रीद:buy खरीदेंगे:buy खरीदूंगा:buy निवेश:investment इन्वेस्टमेंट:investment इन्वेस्ट:invest
फ्लैट:flat फ़्लैट:flat अपार्टमेंट:apartment विला:villa मकान:house घर:house बंगला:bungalow प्लॉट:plot प्लाट:plot ज़मीन:land जमीन:land
दुकान:shop ऑफिस:office आफिस:office दफ्तर:office दफ़्तर:office पेंटहाउस:penthouse स्टूडियो:studio डुप्लेक्स:duplex टाउनहाउस:townhouse
बेडरूम:bedroom बेडरुम:bedroom बीएचके:BHK कमरे:kamre कमरा:kamre कमरों:kamre बाथरूम:bathroom
महीने:mahine महीनों:mahine महीना:mahina साल:saal वर्ष:saal बरस:saal हफ्ते:weeks हफ़्ते:weeks हफ्ता:week सप्ताह:weeks दिन:days
अगले:agle अगला:agle अगली:agle पिछले:pichle जल्दी:asap जल्द:asap तुरंत:asap फ़ौरन:asap फौरन:asap अभी:abhi अंत:end आखिर:end आख़िर:end एंड:end
शुरुआत:beginning शुरू:beginning बीच:mid नकद:cash नगद:cash कैश:cash लोन:loan ऋण:loan बैंक:bank मंज़ूर:approved मंजूर:approved
अप्रूव्ड:approved अप्रूवल:approval सैंक्शन:sanctioned पास:approved रहने:rehne रहना:rehna लिए:liye खुद:khud ख़ुद:khud अपने:apne
जनवरी:january फरवरी:february फ़रवरी:february मार्च:in_march अप्रैल:april मई:in_may जून:june जुलाई:july अगस्त:august
सितंबर:september सितम्बर:september अक्टूबर:october अक्तूबर:october नवंबर:november नवम्बर:november दिसंबर:december दिसम्बर:december
इलाके:area इलाका:area इलाकों:areas एरिया:area लोकेशन:location कब:when टाइप:type प्रॉपर्टी:property पेमेंट:payment शिफ्ट:shift मूव:move कितने:kitne कितना:kitna
सालाना:per_year वार्षिक:per_year मासिक:per_month लेआउट:layout नमस्ते:hi धन्यवाद:thanks शुक्रिया:thanks हाँ:yes हां:yes जी:ji ठीक:theek पता:pata मालूम:pata तय:tay पक्का:pakka देख:dekh रहा:raha रही:raha
`);

const N = String.raw`\d+(?:\.\d+)?`;
const HI_NUM = Object.keys(HINDI_NUMBER_WORDS).filter((k) => /^[a-z]+$/.test(k)).join('|');
const NUM = String.raw`(${N}|${HI_NUM})`;
const MONTHS = String.raw`(?:mahine|mahina|mahino|mahinon|mahinay|months?)`;
const YEARS = String.raw`(?:saal|sal|varsh|years?)`;
const WITHIN = String.raw`(?:ke )?(?:andar|bhitar|mein|me|mai|main|tak)`;

function num(w: string): string {
  const n = HINDI_NUMBER_WORDS[w.toLowerCase()];
  return n !== undefined ? String(n) : w;
}

const PHRASES: ReadonlyArray<[RegExp, string | ((...m: string[]) => string)]> = [
  [new RegExp(String.raw`\bagle ${YEARS} (?:ke )?(?:end|ant|aakhir|akhir)(?: tak| mein| me)?`, 'gi'), 'by end of next year'],
  [new RegExp(String.raw`\b(?:is )?${YEARS} (?:ke )?(?:end|ant|aakhir|akhir)(?: tak| mein| me)?`, 'gi'), 'by end of the year'],
  [new RegExp(String.raw`\bagle ${YEARS} (?:ki )?(?:shuruaat|shuru|beginning)(?: mein| me)?`, 'gi'), 'beginning of next year'],
  [new RegExp(String.raw`\bagle ${MONTHS}\b`, 'gi'), 'next month'],
  [new RegExp(String.raw`\bagle ${YEARS}\b`, 'gi'), 'next year'],
  [/\bagle (?:hafte|week)\b/gi, 'next week'],
  [new RegExp(String.raw`\bis ${YEARS}\b`, 'gi'), 'this year'],
  [new RegExp(String.raw`\bis ${MONTHS}\b`, 'gi'), 'this month'],
  [new RegExp(String.raw`\b${NUM} ${MONTHS} ${WITHIN}\b`, 'gi'), (_m, n) => `within ${num(n!)} months`],
  [new RegExp(String.raw`\b${NUM} ${MONTHS} (?:ke )?baad\b`, 'gi'), (_m, n) => `in ${num(n!)} months`],
  [new RegExp(String.raw`\b${NUM} ${YEARS} ${WITHIN}\b`, 'gi'), (_m, n) => `within ${num(n!)} years`],
  [new RegExp(String.raw`\b${NUM} ${YEARS} (?:ke )?baad\b`, 'gi'), (_m, n) => `in ${num(n!)} years`],
  [new RegExp(String.raw`\b${NUM} ${MONTHS}\b`, 'gi'), (_m, n) => `${num(n!)} months`],
  [new RegExp(String.raw`\b${NUM} (?:saal|sal|varsh)\b`, 'gi'), (_m, n) => `${num(n!)} years`],
  [/\b(?:mahine|mahina|mahino|mahinon)\b/gi, 'month'],
  [/\b(?:jald se jald|jitna jaldi|jitni jaldi|jaldi se jaldi|jaldi|turant|fauran|abhi ke abhi|asap)\b/gi, 'asap'],
  [/\b(?:pata nahi|pata nahin|pata nai|malum nahi|maloom nahi|tay nahi|decide nahi|pakka nahi|sure nahi)(?: hai| kiya| kab)?\b/gi, 'not sure'],
  [/\b(?:bas|sirf|abhi) (?:dekh|dekhna|dekhte)(?: raha| rahi| rahe)?(?: hun| hoon| hu| hain)?\b/gi, 'just browsing'],
  // bedrooms: "do BHK", "teen kamre", "3 kamron ka"
  [new RegExp(String.raw`\b(${HI_NUM}) ?(bhk|bed|beds|bedroom|bedrooms|br|kamre|kamra|kamron|kamro|room|rooms)\b`, 'gi'), (_m, n, u) => `${num(n!)} ${u}`],
  [/\b(\d+) ?(?:kamre|kamra|kamron|kamro)\b/gi, '$1 bedrooms'],
  [/\b(?:kamre|kamra|kamron|kamro)\b/gi, 'bedrooms'],
  [/\b(\d) se (\d) ?(bhk|bed|beds|bedrooms?|br)\b/gi, '$1 to $2 $3'],
  // money: "dedh crore", "sadhe teen crore", "do lakh"
  [/\b(?:karod|karor|karodh|karoda)\b/gi, 'crore'],
  [/\b(?:hazaar|hazar|hajar|hazzar)\b/gi, 'thousand'],
  [/\b(?:rupaye|rupay|rupaiye|rupiya)\b/gi, 'rupees'],
  [new RegExp(String.raw`\b(${HI_NUM}) (lakh|lakhs|lac|lacs|crore|crores|cr|thousand|million)\b`, 'gi'), (_m, n, u) => `${num(n!)} ${u}`],
  [/\bsadhe (\d+) /gi, (_m, n) => `${Number(n) + 0.5} `],
  [/\bsawa (\d+) /gi, (_m, n) => `${Number(n) + 0.25} `],
  [/\b(?:saal ka|saal ke|salana|saalana|har saal|per saal)\b/gi, 'per year'],
  [/\b(?:mahine ka|mahine ke|mahina ka|har mahine|per mahina)\b/gi, 'per month'],
  // a bare number word answering "how many bedrooms?"
  [new RegExp(String.raw`^\s*(${HI_NUM})\s*[.!]?\s*$`, 'i'), (_m, n) => num(n!)],
  [/\b(?:lagbhag|lagbhagh|kareeb|karib|takriban|qareeb)\b/gi, 'around'],
  // what the lead wants
  [/\b(?:kiraye|kiraya|kiraaye|rent) (?:pe|par) (?:dena|dene|denge|chadhana|chadhane)\b/gi, 'rent it out'],
  [/\b(?:kiraye|kiraya|kiraaye|rent) (?:pe|par)\b/gi, 'rent'],
  [/\b(?:kiraye|kiraya|kiraaye)\b/gi, 'rent'],
  [/\b(?:khareedna|kharidna|kharidne|khareedne|kharidenge|khareedenge|kharidunga|khareedunga|kharid|khareed|kharidi)\b/gi, 'buy'],
  [/\b(?:nivesh|invest karna|invest karne|investment ke liye)\b/gi, 'investment'],
  [/\b(?:rehne ke liye|khud rehna|khud ke liye|apne rehne|khud rehenge)\b/gi, 'to live in'],
  [/\b(?:loan (?:nahi|nahin|nai) (?:chahiye|lena|lenge|lunga)|bina loan|loan ki (?:zarurat|jarurat|zaroorat) nahi)\b/gi, 'no mortgage needed'],
  [/\b(?:nakad|nagad|poora cash|pura cash|full cash|cash mein|cash me)\b/gi, 'cash'],
  [/\bloan (?:pehle se |already |pahle se )?(?:approved|sanction|sanctioned|pass)(?: hai| ho gaya| ho chuka| hua| he)?\b/gi, 'loan approved'],
  [/\b(?:matlab|mera matlab)\b/gi, 'i mean'],
  [/\bkab\b/gi, 'when'],
  [/^\s*(?:haan|haa|han|hanji|ji haan|ji ha|yes)(?![a-z])/gi, 'yes'],
  [/^\s*(?:nahi|nahin|nai|na)(?![a-z])(?! (?:pata|malum|maloom))/gi, 'no'],
  [/\b(?:nahi nahi|nahin nahin)\b/gi, 'sorry no'],
];

const DEVANAGARI_RUN_RE = /[\u0900-\u097f]+/g;
// "ज़" is typed both as one code point and as ज + nukta: NFC makes them one spelling
const NFC_WORDS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(DEVANAGARI_WORDS).map(([k, v]) => [k.normalize('NFC'), v]));
const NFC_NUMBERS: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(HINDI_NUMBER_WORDS).map(([k, v]) => [k.normalize('NFC'), v]));

/** Hindi and Hinglish facts in English words; other text is returned as it was. */
export function glossHindi(text: string): string {
  let t = text;
  const hasDevanagari = /[\u0900-\u097f]/.test(t);
  if (hasDevanagari) {
    // "इस साल", "इस महीने": "is" is English too, so these two become English right away
    t = t.normalize('NFC').replace(/इस (साल|वर्ष)/g, 'this year').replace(/इस (महीने|महीना)/g, 'this month')
      .replace(/(?:पता|मालूम|तय) नहीं/g, 'not sure')
      .replace(/(\d)(?=[\u0900-\u097f])/g, '$1 ')
      .replace(DEVANAGARI_RUN_RE, (w) => {
        const g = NFC_WORDS[w];
        if (g !== undefined) return ` ${g} `;
        const n = NFC_NUMBERS[w];
        return n !== undefined ? ` ${n} ` : w;
      })
      .replace(/[ \t]{2,}/g, ' ').replace(/ ([,.?!;:।])/g, '$1').replace(/।/g, '.').trim();
  }
  for (const [re, to] of PHRASES) t = typeof to === 'string' ? t.replace(re, to) : t.replace(re, to as (...m: string[]) => string);
  return t;
}
