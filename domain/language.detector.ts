import type { ConversationMessage } from './agent.types';

// Which language a lead writes in, so replies match it and the contact keeps it.
//
// Tags are BCP 47: 'en', 'ar', 'hi' (Devanagari) and 'hi-Latn' (Hinglish: Hindi in Latin
// letters, mixed with English). Hinglish is its own tag because a lead who types Hinglish
// rarely reads Devanagari comfortably, so the reply must be in Latin letters too; baseLanguage()
// gives 'hi' for both. Arabizi ("abgha sha2a 3 ghoraf") is tagged 'ar': people who type it on
// a Latin keyboard read Arabic script, and Arabic replies read better than transliteration.
//
// A message with no language of its own ("3", "ok", "JVC", "👍", "2.5M") detects as null; the
// conversation keeps the language of the newest message that had one.

export type LeadLanguage = 'en' | 'ar' | 'hi' | 'hi-Latn';
export const LEAD_LANGUAGES: readonly LeadLanguage[] = ['en', 'ar', 'hi', 'hi-Latn'];

const ARABIC_LETTERS_RE = /[\u0621-\u064a\u0671-\u06d3]/g;
const DEVANAGARI_LETTERS_RE = /[\u0900-\u0963\u0971-\u097f]/g;
const LATIN_WORD_RE = /[a-z][a-z0-9']*/g;

/** Hinglish words that are not English (or not used that way in English). */
const HINGLISH = new Set(`hai hain chahiye chahie chaiye chahta chahti chahte chahiye mujhe muje hume humein hamein hum humko mujhko aap apko aapko
kya kaise kab kitna kitne kitni kahan yahan wahan mein mai nahi nahin nai karna karni karne karunga karenge lena lene lenge lunga dena
hoga hogi hoga ho jayega jaldi jald turant abhi bhai bhaiya ji sirf bas wala wali wale mahine mahina mahino saal agle agla agli pichle
kiraye kiraya kiraaye kharidna kharidne khareedna khareedne kharid khareed ghar makaan makan flat ka ki ke ko se tak par pe aur ya lekin
matlab thoda zyada jyada kam andar upar neeche baad pehle dekh dekhna dekhte batao bataiye bata chalega theek thik accha acha haan nakad
paisa paise rupaye rupay wala dedh dhai sadhe sawa kamre kamra kamron hoon hu`.split(/\s+/).filter(Boolean));
/** Short Hinglish words that are also English: they count only next to clearly Hindi ones. */
const HINGLISH_WEAK = new Set(['do', 'teen', 'char', 'par', 'pe', 'se', 'ho', 'ya', 'ka', 'ki', 'ke', 'ko', 'hum', 'bas', 'flat', 'kam', 'mai', 'aur', 'hu', 'ghar', 'ji']);

const ARABIZI = new Set(`abgha abghi abga abi ab8a ana ani ehna e7na ya3ni yani inshallah insha2allah wallah walla habibi shukran shokran marhaba salam
alaykum 3alaykum sha2a shaqqa shaqa sha2ah shu2a2 shoqaq fila filla fella ghorfa ghorfah ghoraf ghuraf ghurfa ghorftain ghorfiten
ghorfteen 3ayez 3ayza 3awz biddi bade badi ba3d khilal 5ilal 5elal milyon malyoon malayeen malyon alf alaf darahim dirham kash ta2jeer ijar eejar
ejar 2ijar shira shera2 ashtri ashtari neshtri estethmar istithmar tamweel mish mesh mo mub wayed wajid zain zein tamam kam chem 7ala
7aleyan alhin al7een el7een lsana elsana elshahr el shahr shahr ashhor shohour sana snin el jay eljay aljay elly 3ala 3lshan 3shan mashi yalla`.split(/\s+/).filter(Boolean));
/** Letters-with-digits spellings (sha2a, 3ayez, 7aleyan, 5elal) are Arabizi. */
const ARABIZI_DIGIT_RE = /^(?:[a-z]*[a-z][23578][a-z]+|[3578][a-z]{2,})$/;

const ENGLISH = new Set(`the a an i i'm im we my our you your is are am was be to of in on at for with and or but not no yes looking want need
would like please hi hello thanks thank can could does have has this that these it its from about around budget buy rent
rental invest investment apartment flat villa house townhouse studio bedroom bedrooms bed beds month months year years
cash mortgage asap soon next within up under max between move moving family some any there here what when where how much
interested property properties area areas price range per sale lease`.split(/\s+/).filter(Boolean));

export interface LanguageGuess {
  language: LeadLanguage;
  /** 0-1: the share of the letters or words that point to this language. */
  confidence: number;
}

/** The language of one message, or null when it has none of its own. */
export function detectLanguage(text: string): LanguageGuess | null {
  if (typeof text !== 'string' || !text.trim()) return null;
  const t = text.length > 4000 ? text.slice(0, 4000) : text;
  const arabic = (t.match(ARABIC_LETTERS_RE) ?? []).length;
  const devanagari = (t.match(DEVANAGARI_LETTERS_RE) ?? []).length;
  const words = t.toLowerCase().match(LATIN_WORD_RE) ?? [];
  const latin = words.reduce((n, w) => n + w.length, 0);
  const letters = arabic + devanagari + latin;
  if (letters === 0) return null;
  if (arabic >= 2 && arabic >= devanagari && arabic >= latin * 0.3) return { language: 'ar', confidence: arabic / letters };
  if (devanagari >= 2 && devanagari >= latin * 0.3) return { language: 'hi', confidence: devanagari / letters };
  let hinglish = 0;
  let hinglishWeak = 0;
  let arabizi = 0;
  let english = 0;
  for (const w of words) {
    if (HINGLISH_WEAK.has(w)) hinglishWeak++;
    else if (HINGLISH.has(w)) hinglish++;
    if (ARABIZI.has(w) || ARABIZI_DIGIT_RE.test(w)) arabizi++;
    if (ENGLISH.has(w)) english++;
  }
  const hiScore = hinglish + (hinglish > 0 ? hinglishWeak * 0.5 : 0);
  if (arabizi >= 1 && arabizi >= hiScore && (arabizi >= 2 || arabizi >= english)) return { language: 'ar', confidence: Math.min(1, arabizi / words.length) };
  if (hiScore >= 1 && (hiScore >= 2 || hiScore >= english)) return { language: 'hi-Latn', confidence: Math.min(1, hiScore / words.length) };
  // bare numbers, codes and place names ("JVC", "3", "2.5M") say nothing about the language
  if (english > 0 || words.filter((w) => w.length >= 3 && /^[a-z]+$/.test(w)).length >= 3) return { language: 'en', confidence: english / Math.max(1, words.length) };
  if (arabic > 0) return { language: 'ar', confidence: arabic / letters };
  if (devanagari > 0) return { language: 'hi', confidence: devanagari / letters };
  return null;
}

/** The language of the newest lead message that has one; null when none of their words has a language yet. */
export function spokenLanguage(messages: readonly ConversationMessage[]): LeadLanguage | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.from !== 'lead' || typeof m.text !== 'string') continue;
    // "[photo]", "[location: ...]": our own markers, not the lead's words
    if (/^\s*\[[^\]]*\]\s*$/.test(m.text)) continue;
    const g = detectLanguage(m.text);
    if (g) return g.language;
  }
  return null;
}

/** The language to answer in: the newest lead message that has one; English by default. */
export function conversationLanguage(messages: readonly ConversationMessage[], fallback: LeadLanguage = 'en'): LeadLanguage {
  return spokenLanguage(messages) ?? fallback;
}

/** 'hi' for Hinglish too: the language without its script. */
export function baseLanguage(lang: LeadLanguage): 'en' | 'ar' | 'hi' {
  return lang === 'hi-Latn' ? 'hi' : lang;
}
