import { isPlaceAlias, isPlaceWord, maxAliasWords } from './geo.matcher';
import { asciiDigits } from './numerals';
import { glossArabic } from './text-ar.normalizer';
import { glossHindi } from './text-hi.normalizer';
import { MAX_PARSE_CHARS } from './text.util';

// Every parser reads English with ASCII digits. Whatever the lead writes (Arabic, Arabizi,
// Hindi, Hinglish, or several in one message) is first read into that: digits to 0-9, then the
// Arabic and Hindi glosses. English text comes out unchanged apart from Hinglish phrases.

const cache = new Map<string, string>();

/** The lead's text as the parsers read it. */
export function toPivotText(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  const src = text.length > MAX_PARSE_CHARS ? text.slice(0, MAX_PARSE_CHARS) : text;
  const hit = cache.get(src);
  if (hit !== undefined) return hit;
  const out = glossHindi(glossArabic(asciiDigits(src), { isPlaceWord, isPlaceAlias, maxAliasWords }));
  if (cache.size > 2000) cache.clear();
  cache.set(src, out);
  return out;
}
