// Shared text helpers for the parsers. Every regex here is written so that it runs in linear
// time (no nested or overlapping quantifiers): the parsers see untrusted text of any size.

/** WhatsApp caps a message at 4,096 characters; anything far beyond that is not a lead talking. */
export const MAX_PARSE_CHARS = 20_000;

export const NUMBER_WORDS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, eighteen: 18, twenty: 20, thirty: 30, a: 1, an: 1, single: 1,
  couple: 2, few: 3, several: 4,
};

export const SMALL_NUMBER_WORD_RE = 'zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve';

/** Words that signal the lead is correcting what they said before. */
export const CORRECTION_RE = /\b(?:actually|instead|rather|make it|change (?:it|that)|changed my mind|scratch that|sorry|i mean|correction|on second thought|wait|update)\b/;

/** Words a bare answer may start with ("actually 3", "ok, 2", "make it 4"): the answer is what follows. */
export const BARE_LEAD_IN = String.raw`(?:(?:actually|make it|sorry|oh|ok|okay|hmm|just|only|exactly|say|let'?s say|no)[,\s]\s?){0,3}`;

const ARABIC_MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
const ARABIC_FOLD: Readonly<Record<string, string>> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ة': 'ه', 'ى': 'ي', 'ئ': 'ي', 'ؤ': 'و', 'ی': 'ي', 'ک': 'ك', 'ڤ': 'ف', 'پ': 'ب', 'چ': 'ج', 'گ': 'ك',
  '،': ',', '؛': ';', '؟': '?',
};
const ARABIC_FOLD_RE = /[أإآٱةىئؤیکڤپچگ،؛؟]/g;

/**
 * One spelling for the many ways Arabic is typed: no diacritics or tatweel, one alef, ه for
 * ة, ي for ى, Persian/Urdu keyboard letters to Arabic ones, Arabic punctuation to ASCII.
 * Place aliases and lexicons are stored folded, so text must be folded before lookup.
 */
export function foldArabic(text: string): string {
  return text.replace(ARABIC_MARKS, '').replace(ARABIC_FOLD_RE, (ch) => ARABIC_FOLD[ch] ?? ch);
}

export const ARABIC_LETTER_RE = /[\u0621-\u064a\u0671-\u06d3]/;
export const DEVANAGARI_LETTER_RE = /[\u0900-\u097f]/;
