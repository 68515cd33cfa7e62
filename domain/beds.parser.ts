import { BARE_LEAD_IN, CORRECTION_RE, NUMBER_WORDS, SMALL_NUMBER_WORD_RE } from './text.util';

// Bedrooms per SPEC: "2 bed", "2BR", "2BHK", "two bedrooms" → 2-2; "2-3 beds" → 2-3; "3+", "at least
// 3" → 3-null; a studio is 0-0; a maid's room does not count.

export interface Beds { min: number | null; max: number | null }

const BED_WORD = String.raw`(?:bed(?:room)?s?|bed rooms?|br|brs|bhk|bdr|bdrs|bdrm|bdrms|bd|b\/r|bedders?|rk)`;
const N = String.raw`(\d{1,2}|${SMALL_NUMBER_WORD_RE})`;
const BEDS_RANGE_RE = new RegExp(String.raw`(?:^|[^a-z0-9.,])${N}\s?(?:-|to|or|–|\/|and)\s?${N}\s?-?\s?${BED_WORD}(?![a-z])`);
const BEDS_MIN_BEFORE_RE = new RegExp(String.raw`(?:at ?least|minimum|min\.?|no less than|not less than|more than)\s(?:of\s)?${N}\s?-?\s?${BED_WORD}?(?![a-z])`);
// "3 or more bedrooms", "4 plus beds": the open end written between the figure and the bed word
const BEDS_MIN_BETWEEN_RE = new RegExp(String.raw`(?:^|[^a-z0-9.,])${N}\s?(?:or more|and more|or above|and above|plus|and up|or bigger|or larger)\s${BED_WORD}(?![a-z])`);
const BEDS_PLUS_RE = new RegExp(String.raw`(?:^|[^a-z0-9.,])${N}\s?\+\s?(${BED_WORD}|maids?|maid'?s|study|1(?![0-9]))?`);
const BEDS_MIN_AFTER_RE = new RegExp(String.raw`(?:^|[^a-z0-9.,])${N}\s?-?\s?${BED_WORD}(?![a-z])\s?(?:or more|and above|or above|plus|minimum|min|at least|or bigger|or larger)(?![a-z])`);
const BEDS_ONE_RE = new RegExp(String.raw`(?:^|[^a-z0-9.,])${N}\s?-?\s?${BED_WORD}(?![a-z])`, 'g');
const STUDIO_RE = /(?:^|[^a-z])studios?(?![a-z])/;
// "studio or 1 bed", "1 bed or studio": a studio is 0 bedrooms, so these are ranges
const STUDIO_RANGE_RE = new RegExp(String.raw`(?:^|[^a-z])(?:studios?\s?(?:-|to|or|\/|ya|and)\s?${N}\s?-?\s?${BED_WORD}|${N}\s?-?\s?${BED_WORD}\s?(?:-|to|or|\/|ya|and)\s?(?:a\s)?studios?)(?![a-z])`);
// "1 BHK or 2 BHK", "2 bed / 3 bed", Hinglish "1 BHK ya 2 BHK": the bed word written twice
const BEDS_RANGE_TWICE_RE = new RegExp(String.raw`(?:^|[^a-z0-9.,])${N}\s?-?\s?${BED_WORD}\s?(?:-|to|or|\/|ya|and)\s?${N}\s?-?\s?${BED_WORD}(?![a-z])`);

const BEDS_BARE_RE = new RegExp(String.raw`^\s?${BARE_LEAD_IN}(?:i need |we need |need |maybe |probably |around |about )?${N}(?:\s?(?:-|to|or)\s?${N})?\s?(\+)?\s?(?:please|pls|ideally|minimum)?[.!]?\s?$`);

function toInt(w: string | undefined): number | null {
  if (w === undefined) return null;
  if (/^\d+$/.test(w)) return Number(w);
  const n = NUMBER_WORDS[w];
  return n === undefined ? null : n;
}

export function readBeds(t: string, expect: boolean): Beds | undefined {
  const range = BEDS_RANGE_RE.exec(t);
  const minBefore = BEDS_MIN_BEFORE_RE.exec(t);
  const minAfter = BEDS_MIN_AFTER_RE.exec(t);
  const plus = BEDS_PLUS_RE.exec(t);
  const hits: Array<{ at: number; v: { min: number | null; max: number | null } }> = [];
  const studioRange = STUDIO_RANGE_RE.exec(t);
  if (studioRange) {
    const n = toInt(studioRange[1] ?? studioRange[2]);
    if (n !== null && n <= 12) hits.push({ at: studioRange.index, v: { min: 0, max: n } });
  }
  const twice = BEDS_RANGE_TWICE_RE.exec(t);
  if (twice) {
    const a = toInt(twice[1]);
    const b = toInt(twice[2]);
    if (a !== null && b !== null && a <= 12 && b <= 12 && a !== b) hits.push({ at: twice.index, v: { min: Math.min(a, b), max: Math.max(a, b) } });
  }
  if (range) {
    const a = toInt(range[1]);
    const b = toInt(range[2]);
    if (a !== null && b !== null && a <= 12 && b <= 12) hits.push({ at: range.index, v: { min: Math.min(a, b), max: Math.max(a, b) } });
  }
  if (minBefore) {
    const a = toInt(minBefore[1]);
    if (a !== null && a <= 12 && (minBefore[0].match(new RegExp(BED_WORD)) || expect)) hits.push({ at: minBefore.index, v: { min: a, max: null } });
  }
  const minBetween = BEDS_MIN_BETWEEN_RE.exec(t);
  if (minBetween) {
    const a = toInt(minBetween[1]);
    if (a !== null && a <= 12) hits.push({ at: minBetween.index, v: { min: a, max: null } });
  }
  if (minAfter) {
    const a = toInt(minAfter[1]);
    if (a !== null && a <= 12) hits.push({ at: minAfter.index, v: { min: a, max: null } });
  }
  if (plus) {
    const a = toInt(plus[1]);
    const what = plus[2];
    // "3+maid" and "3+1" are three bedrooms and a maid's room; "3+" and "3+ beds" are three or more
    const bedsOrExpected = what !== undefined || expect;
    if (a !== null && a <= 12 && bedsOrExpected) {
      const exact = what !== undefined && /^(maids?|maid'?s|study|1)$/.test(what);
      const tail = t.slice(plus.index + plus[0].length, plus.index + plus[0].length + 4);
      if (!(what === undefined && /^\s?\d/.test(tail))) hits.push({ at: plus.index, v: exact ? { min: a, max: a } : { min: a, max: null } });
    }
  }
  BEDS_ONE_RE.lastIndex = 0;
  for (let m = BEDS_ONE_RE.exec(t); m !== null; m = BEDS_ONE_RE.exec(t)) {
    const a = toInt(m[1]);
    if (a === null || a > 12) continue;
    if (hits.some((h) => Math.abs(h.at - m!.index) < 12)) continue;
    hits.push({ at: m.index, v: { min: a, max: a } });
  }
  const studio = STUDIO_RE.exec(t);
  if (studio && !hits.some((h) => Math.abs(h.at - studio.index) < 24)) hits.push({ at: studio.index, v: { min: 0, max: 0 } });
  if (hits.length === 0 && expect) {
    const bare = BEDS_BARE_RE.exec(t);
    if (bare) {
      const a = toInt(bare[1]);
      const b = toInt(bare[2]);
      if (a !== null && a <= 12) {
        if (bare[3]) return { min: a, max: null };
        if (b !== null && b <= 12) return { min: Math.min(a, b), max: Math.max(a, b) };
        return { min: a, max: a };
      }
    }
  }
  if (hits.length === 0) return undefined;
  hits.sort((x, y) => x.at - y.at);
  const first = hits[0]!;
  const last = hits[hits.length - 1]!;
  return hits.length > 1 && CORRECTION_RE.test(t.slice(first.at, last.at)) ? last.v : first.v;
}
