import type { LeadLanguage } from './language.detector';
import { AR_COPY } from './reply-copy-ar';
import { HI_COPY, HI_LATN_COPY } from './reply-copy-hi';
import type { ReplyCopy } from './reply-copy.types';

// What the offline agent says, in the lead's language. English stays in the agent itself (it is
// the reference copy the tests read); this module holds the Arabic, Hindi (Devanagari) and
// Hinglish versions of the same moves: greet, acknowledge what changed, show units, ask the one
// next question, offer or confirm a call, and answer opt-outs, voice notes and pins.
// Arabic copy is written right-to-left first: every line starts with Arabic words so WhatsApp
// lays it out RTL; area names use their Arabic aliases from areas.json; figures stay 0-9, as
// Gulf listings write them. Questions are worded so that questionFields (via the gloss) can tell
// what they ask, which is how the next bare answer ("٣", "2 saal") is read.

const COPIES: Readonly<Partial<Record<LeadLanguage, ReplyCopy>>> = { ar: AR_COPY, hi: HI_COPY, 'hi-Latn': HI_LATN_COPY };

/** The copy for a language; null for English, which the agent writes itself. */
export function replyCopy(language: LeadLanguage): ReplyCopy | null {
  return COPIES[language] ?? null;
}

/**
 * The same rules the local copy follows, said to a model that writes its own reply (the OpenAI
 * agent), so a lead gets the same language and script whichever agent answers.
 */
const WRITING_RULES: Readonly<Record<LeadLanguage, string>> = {
  en: 'Write the reply in English.',
  ar: 'Write the reply in Arabic: warm, short, Gulf-friendly Modern Standard Arabic, even when the lead types Arabic in Latin letters (Arabizi). '
    + 'Start every line with Arabic words so WhatsApp lays the message out right to left; use the Arabic names of areas; write figures with the digits 0-9, as Gulf listings do; '
    + 'say amounts with مليون and ألف and the currency in Arabic (درهم).',
  hi: 'Write the reply in Hindi in Devanagari script. Keep the property words Indian buyers use (flat, BHK, लाख, करोड़); write figures with the digits 0-9.',
  'hi-Latn': 'Write the reply in Hinglish: Hindi in Latin letters mixed with everyday English, as the lead writes (for example "Aapko kaunsa area chahiye?"). '
    + 'Never use Devanagari script. Keep BHK, lakh and crore as they are.',
};

const LANGUAGE_NAMES: Readonly<Record<LeadLanguage, string>> = { en: 'English', ar: 'Arabic', hi: 'Hindi (Devanagari)', 'hi-Latn': 'Hinglish (Hindi in Latin letters)' };

/** One line telling a model the lead's language and how to write replies in it. */
export function replyLanguageRule(language: LeadLanguage): string {
  return `Lead's language: ${LANGUAGE_NAMES[language]} (${language}). ${WRITING_RULES[language]}`;
}

const ALL = Object.values(COPIES) as ReplyCopy[];
/** Our own offers, confirmations and notes in every language, to recognise them in the history. */
export const LOCAL_HANDOFF_OFFERS: readonly string[] = ALL.flatMap((c) => c.handoffOffers);
export const LOCAL_HANDOFF_CONFIRMED: readonly string[] = ALL.flatMap((c) => c.handoffConfirmed);
export const LOCAL_HANDOFF_NOTES: readonly string[] = ALL.flatMap((c) => c.handoffNotes);

/** Yes, no and thanks in Arabic, Arabizi, Hindi and Hinglish (the English ones live with the agent). */
export const LOCAL_ACCEPT_RE = /^\s*(?:نعم|ايوه|أيوه|ايوا|أيوا|اي نعم|أكيد|اكيد|تمام|طيب|ماشي|اوكي|أوكي|يناسبني|مناسب|اتصل|اتصلوا|حياك|हाँ|हां|जी|जी हाँ|ठीक है|ज़रूर|जरूर|haan|haa|han|hanji|ji haan|ji|theek hai|thik hai|thik he|bilkul|zaroor|jarur|chalega|aiwa|aywa|tamam|akeed|na3am)(?![\p{L}])/iu;
export const LOCAL_DECLINE_RE = /^\s*(?:لا|لأ|مو الحين|مش الحين|مو الآن|ليس الآن|بعدين|لاحقا|لاحقاً|لا شكرا|لا شكراً|नहीं|अभी नहीं|बाद में|nahi|nahin|nai|abhi nahi|baad mein|la2|mo al7een|ba3dain)(?![\p{L}])/iu;
export const LOCAL_THANKS_RE = /^\s*(?:شكرا|شكراً|مشكور|مشكورة|تسلم|يعطيك العافية|धन्यवाद|शुक्रिया|थैंक्स|dhanyavad|dhanyavaad|shukriya|shukran|thnx)(?![\p{L}])[\s!.🙏😊👍]*$/iu;
