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

const ALL = Object.values(COPIES) as ReplyCopy[];
/** Our own offers, confirmations and notes in every language, to recognise them in the history. */
export const LOCAL_HANDOFF_OFFERS: readonly string[] = ALL.flatMap((c) => c.handoffOffers);
export const LOCAL_HANDOFF_CONFIRMED: readonly string[] = ALL.flatMap((c) => c.handoffConfirmed);
export const LOCAL_HANDOFF_NOTES: readonly string[] = ALL.flatMap((c) => c.handoffNotes);

/** Yes, no and thanks in Arabic, Arabizi, Hindi and Hinglish (the English ones live with the agent). */
export const LOCAL_ACCEPT_RE = /^\s*(?:نعم|ايوه|أيوه|ايوا|أيوا|اي نعم|أكيد|اكيد|تمام|طيب|ماشي|اوكي|أوكي|يناسبني|مناسب|اتصل|اتصلوا|حياك|हाँ|हां|जी|जी हाँ|ठीक है|ज़रूर|जरूर|haan|haa|han|hanji|ji haan|ji|theek hai|thik hai|thik he|bilkul|zaroor|jarur|chalega|aiwa|aywa|tamam|akeed|na3am)(?![\p{L}])/iu;
export const LOCAL_DECLINE_RE = /^\s*(?:لا|لأ|مو الحين|مش الحين|مو الآن|ليس الآن|بعدين|لاحقا|لاحقاً|لا شكرا|لا شكراً|नहीं|अभी नहीं|बाद में|nahi|nahin|nai|abhi nahi|baad mein|la2|mo al7een|ba3dain)(?![\p{L}])/iu;
export const LOCAL_THANKS_RE = /^\s*(?:شكرا|شكراً|مشكور|مشكورة|تسلم|يعطيك العافية|धन्यवाद|शुक्रिया|थैंक्स|dhanyavad|dhanyavaad|shukriya|shukran|thnx)(?![\p{L}])[\s!.🙏😊👍]*$/iu;
