import type { Market } from './profile.schema';
import { CORRECTION_RE, MAX_PARSE_CHARS } from './text.util';

// Budget normalisation per ../shared/evals/SPEC.md. The text is scanned once for numbers;
// each number is then classified by looking at a bounded window before and after it, so
// the whole parse is linear in the length of the text (no backtracking-prone patterns).

export type BudgetPeriod = 'total' | 'year' | 'month';

export interface Budget {
  min: number | null;
  max: number | null;
  currency: string;
  period: BudgetPeriod;
  /** True when the text names the currency (symbol, code, word, crore/lakh). */
  currencyStated: boolean;
  /** True when the text names the period (pcm, per year, ...). */
  periodStated: boolean;
}

export interface BudgetContext {
  /** The lead is answering a budget question (or a form's budget field): bare figures count. */
  expectBudget?: boolean;
  /** What the lead wants, when known from elsewhere in the conversation. */
  listing?: 'sale' | 'rent' | null;
}

export const MARKET_CURRENCY: Readonly<Record<Market, string>> = { AE: 'AED', GB: 'GBP', US: 'USD', IN: 'INR' };
/** A tenant who states no period: AE rents are quoted per year, the other markets per month. */
export const MARKET_RENT_PERIOD: Readonly<Record<Market, 'year' | 'month'>> = { AE: 'year', GB: 'month', US: 'month', IN: 'month' };

const CUR_WORD = String.raw`aed|dhs|dh|dirhams?|dirhems?|usd|us\$|us dollars?|dollars?|bucks|gbp|pounds?|sterling|quid|eur|euros?|inr|rupees?|rs\.?|\$|£|€|₹`;
const CUR_BEFORE_RE = new RegExp(String.raw`(?:^|[^a-z])(${CUR_WORD})\s?\.?\s?$`);
const CUR_AFTER_RE = new RegExp(String.raw`^\s?(${CUR_WORD})(?![a-z])`);

// "1 500 000" (space-grouped thousands, common in forms) is one number unless a unit follows ("2 100k")
const NUMBER_RE = /\d{1,3}(?:\.\d{3}){2,}(?!\d)|\d{1,3}(?:,\d{2,3})+(?:\.\d+)?(?!\d)|\d{1,3}(?: \d{3})+(?![\d.,]|\s?(?:k|m|mn|mil|million|thousand|lakhs?|lacs?|crores?|cr|l)(?![a-z]))|\d+(?:\.\d+)?/g;

const MULT_RE = /^\s?(k|thousands?|grand|mn|mln|mil|mill|millions?|mio|m|bn|billions?|b|crores?|cr|lacs?|lakhs?|lakh|lac|lk|l)(?![a-z0-9²³])\.?/;

/** What follows a number that makes it something other than money. */
const NOT_MONEY_AFTER_RE = /^\s?-?\s?(?:\+\s?)?(?:beds?|bedrooms?|bed rooms?|bdrs?|bdrms?|brs?|bhk|bd|b\/r|rk|rooms?|baths?|bathrooms?|washrooms?|toilets?|stor(?:e)?ys?|floors?|stars?|months?|mos?|mths?|weeks?|wks?|days?|years?|yrs?|hours?|hrs?|minutes?|mins?|sq\.?\s?(?:ft|m|feet|yd)|sqft|sqm|square|m2|m²|meters?|metres?|ft|feet|acres?|%|percent|per ?cent|cheques?|checks?|payments?|instal+ments?|people|persons?|kids|children|adults?|cars?|parking|x(?![a-z])|st(?![a-z])|nd(?![a-z])|rd(?![a-z])|th(?![a-z])|yo(?![a-z])|am(?![a-z])|o'?clock|units?|villas?|apartments?|flats?|towers?|buildings?|plots?|bed-?room)(?![a-z])/;

/** A number that names a unit, a building, a street, a code or a ZIP ("unit 1204", "Tower 7", "CA 94301") is no price. */
const ADDRESS_BEFORE_RE = /(?:^|[^a-z])(?:unit|units|apt|apartment|flat|villa|house|plot|building|bldg|tower|block|blk|floor|office|shop|street|st\.?|road|rd\.?|avenue|ave\.?|lane|way|no\.?|number|num|#|room|suite|ste\.?|door|gate|pin ?code|pin|zip(?: ?code)?|post ?code|postal code|p\.?\s?o\.?\s?box|box|ref(?:erence)?(?: no\.?)?|listing(?: id| no\.?)?|id|permit(?: no\.?)?|rera(?: no\.?)?|trakheesi|makani|order(?: no\.?)?|sku|item|(?:,\s?|\s)(?:al|ak|az|ar|ca|co|ct|de|fl|ga|hi|ia|id|il|in|ks|ky|la|ma|md|me|mi|mn|mo|ms|mt|nc|nd|ne|nh|nj|nm|nv|ny|oh|ok|or|pa|ri|sc|sd|tn|tx|ut|va|vt|wa|wi|wv|wy))\s?(?:no\.?|number|#|:)?\s?$/;
/** Fees, deposits and charges are money, but not what the lead means to spend on the home. */
const FEE_BEFORE_RE = new RegExp(String.raw`(?:^|[^a-z])(?:fees?|commission|deposit|security deposit|down ?payment|service charges?|maintenance(?: fee| charges?)?|dld|agency|admin|booking(?: fee| amount)?|token(?: amount)?|registration|viewing|@|price of (?:the )?item|item price|each)\s?(?:is|of|was|:|=|for)?\s?(?:about|around|approx\.?|only|just)?\s?(?:${CUR_WORD})?\s?$`);
const FEE_AFTER_RE = /^\s?(?:fees?|commission|deposit|service charges?|dld|agency fee|admin fee|booking fee|in fees|as (?:a )?(?:deposit|fee|commission)|for (?:the )?(?:fee|deposit|viewing|booking|commission|service charge))(?![a-z])/;

const PERIOD_AFTER_RE = /^\s?(?:\/\s?|per\s|a\s|an\s|each\s|every\s|p\.?\s?)?(annum|annually|yearly|year|yr|pa|p\.a\.?|monthly|month|mth|mo|pcm|pm|p\/m|week|weekly|wk|pw|p\/w)(?![a-z])\.?/;
const PERIOD_BEFORE_RE = /(?:^|[^a-z])(monthly|yearly|annual|annually|weekly|per month|per year|per annum|a month|a year)\s?(?:rent|rental|budget|payment)?\s?(?:is|of|at|around|about|up to|max|:)?\s?(?:aed|dhs?|usd|gbp|inr|eur|\$|£|€|₹)?\s?$/;
const PERIOD_ANYWHERE_RE = /(?:^|[^a-z])(per month|monthly|pcm|p\/m|\/month|\/mo|per annum|per year|yearly|annually|annual rent|p\.a\.|\/year|\/yr|per week|weekly|pw)(?![a-z])/;

const MAX_BEFORE_RE = /(?:^|[^a-z])(up ?to|upto|max|maximum|under|below|less than|no more than|not more than|not over|nothing over|nothing above|nothing more than|not above|not exceeding|within|around|about|roughly|approx\.?|approximately|circa|ca\.|close to|near|~|≈|tops|at most|cap(?:ped)? at|ceiling|limit(?: is| of)?|till|until|budget)\s?(?:is|of|:)?\s?(?:around|about|approx\.?|roughly)?\s?(?:${CUR_WORD})?\s?$/;
const MIN_BEFORE_RE = new RegExp(String.raw`(?:^|[^a-z])(at ?least|from|min|minimum|(?<!no |not |nothing )over|(?<!no |not |nothing )above|(?<!no |not |nothing )more than|starting(?: at| from)?|upwards of|north of|no less than|not less than|beyond|(?<!not )exceeding)\s?(?:is|of|:)?\s?(?:${CUR_WORD})?\s?$`);
// Hinglish: "50 lakh se upar" (above), "1 crore tak" (up to), "45,000 se 55,000 tak" (from ... to)
const MIN_AFTER_RE = /^\s?(\+|plus(?![a-z])|and above|or above|or more|and more|and up(?![a-z])|upwards|onwards|minimum|min(?![a-z])|at least|or higher|and higher|se upar|se zyada|se jyada|se adhik)/;
const MAX_AFTER_RE = /^\s?(max(?:imum)?(?![a-z])|tops(?![a-z])|at most|or less|or below|and below|or lower|maximum|at the most|cap(?![a-z])|tak(?![a-z])|ke andar|se kam(?![a-z]))/;
const RANGE_JOIN_RE = /^\s?(?:-|–|to|and|till|until|or|\/|se)\s?$/;
const BETWEEN_BEFORE_RE = /(?:^|[^a-z])(between|from|range(?: of| is)?|budget(?: is)?)\s?(?::)?\s?(?:${CUR_WORD})?\s?$/;
const CUE_BEFORE_RE = new RegExp(String.raw`(?:^|[^a-z])(budget|price|pricing|spend|afford|pay|paying|rent|rental|cost|costs|max|maximum|up ?to|under|below|around|about|approx\.?|roughly|~|at ?least|min|minimum|over|above|between|range|less than|more than|no more than|from|for)(?:\s?(?:is|of|:|range|be))?(?:\s?(?:around|about|max|up to|approx|roughly))?\s?(?:${CUR_WORD})?\s?$`);
const STRONG_CUE_BEFORE_RE = /(?:^|[^a-z])(budget|rent|price|pay|paying|spend|afford|cost)\s?(?:is|of|:)?\s?(?:around|about|max|up to)?\s?$/;

const MASKS: readonly RegExp[] = [
  // phone numbers: international or trunk-prefixed, and NANP
  /(?:\+|(?<![\d.,])0)\d[\d\s().-]{5,18}\d/g,
  /\(\d{3}\)\s?\d{3}[\s.-]\d{4}/g,
  /(?<![\d.,])\d{3}[\s.-]\d{3}[\s.-]\d{4}(?!\d)/g,
  // dates and times
  /\d{1,4}([/.-])\d{1,2}\1\d{1,4}/g,
  /\d{1,2}:\d{2}/g,
  // e-mail addresses and links
  /[^\s@]{1,64}@[^\s@]{1,255}/g,
  /https?:\/\/\S{1,2000}/g,
  /(?<![\w@])www\.\S{1,2000}/g,
  /(?<![\w@.])[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,3}\.(?:com|ae|net|org|io|in|co|uk|us|info|biz|app)(?:\/\S{0,2000})?(?![a-z0-9])/g,
];

const WORD_NUM: Readonly<Record<string, string>> = {
  a: '1', an: '1', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
  eleven: '11', twelve: '12', fifteen: '15', twenty: '20', thirty: '30', forty: '40', fifty: '50', sixty: '60', seventy: '70', eighty: '80', ninety: '90',
  hundred: '100',
};

const DIGIT_WORD: Readonly<Record<string, string>> = {
  zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};
const DIGIT_WORDS = 'zero|oh|one|two|three|four|five|six|seven|eight|nine';
// voice notes spell decimals out: "one point two million"
const WORD_DECIMAL_RE = new RegExp(String.raw`\b(\d+|${DIGIT_WORDS}|ten|eleven|twelve|fifteen|twenty)\s?point\s?((?:\d+|${DIGIT_WORDS})(?:\s(?:${DIGIT_WORDS}))*)\s(million|mn|mil|m|crores?|cr|lakhs?|lacs?|thousand|k)\b`, 'g');
// "1 crore 20 lakh", "2 lakh 50 thousand", "1 million 200 thousand": one amount in two units
const COMPOUND_CRORE_RE = /\b(\d+(?:\.\d+)?)\s?(?:crores?|cr)\.?\s(?:and\s)?(\d{1,2}(?:\.\d+)?)\s?(?:lakhs?|lacs?|l)\b/g;
const COMPOUND_LAKH_RE = /\b(\d+(?:\.\d+)?)\s?(?:lakhs?|lacs?)\s(?:and\s)?(\d{1,2})\s?(?:thousand|k)\b/g;
const COMPOUND_MILLION_RE = /\b(\d+)\s?(?:million|mn)\s(?:and\s)?(\d{1,3})\s?(?:thousand|k)\b/g;

function preprocess(lower: string): string {
  let t = lower;
  t = t.replace(WORD_DECIMAL_RE, (_m, w: string, frac: string, u: string) => {
    const whole = WORD_NUM[w] ?? w;
    const digits = frac.split(' ').map((d) => DIGIT_WORD[d] ?? d).join('');
    return `${whole}.${digits} ${u}`;
  });
  t = t.replace(COMPOUND_CRORE_RE, (_m, a: string, b: string) => `${+(Number(a) + Number(b) / 100).toFixed(4)} crore`);
  t = t.replace(COMPOUND_LAKH_RE, (_m, a: string, b: string) => `${+(Number(a) + Number(b) / 100).toFixed(4)} lakh`);
  t = t.replace(COMPOUND_MILLION_RE, (_m, a: string, b: string) => `${+(Number(a) + Number(b) / 1000).toFixed(4)} million`);
  t = t.replace(/\b(\d+) and a half (million|mn|m|crores?|k|thousand|lakhs?)\b/g, (_m, n: string, u: string) => `${Number(n) + 0.5} ${u}`);
  t = t.replace(/\bhalf a (million|crore|lakh)\b/g, '0.5 $1');
  t = t.replace(/\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)[ -](million|mn|crores?|lakhs?|lacs?|thousand|grand|k)\b/g,
    (_m, w: string, u: string) => `${WORD_NUM[w] ?? w} ${u}`);
  for (const re of MASKS) t = t.replace(re, (m) => ' '.repeat(m.length));
  return t;
}

interface Candidate {
  start: number;
  end: number;
  raw: string;
  value: number;
  mult: number | null;
  multIsInr: boolean;
  currency: string | null;
  period: 'year' | 'month' | 'week' | null;
  bound: 'min' | 'max' | null;
  excluded: boolean;
  grouped: boolean;
  cue: boolean;
  strongCue: boolean;
  joinNext: boolean;
  betweenBefore: boolean;
}

const MULTS: Readonly<Record<string, number>> = {
  k: 1e3, thousand: 1e3, thousands: 1e3, grand: 1e3,
  m: 1e6, mn: 1e6, mln: 1e6, mil: 1e6, mill: 1e6, million: 1e6, millions: 1e6, mio: 1e6,
  b: 1e9, bn: 1e9, billion: 1e9, billions: 1e9,
  cr: 1e7, crore: 1e7, crores: 1e7,
  l: 1e5, lk: 1e5, lac: 1e5, lacs: 1e5, lakh: 1e5, lakhs: 1e5,
};

function currencyCode(word: string, market: Market): string | null {
  const w = word.replace(/\s+/g, ' ').replace(/\.$/, '');
  if (/^(aed|dhs|dh|dirhams?|dirhems?)$/.test(w)) return 'AED';
  if (/^(usd|us\$|us dollars?|dollars?|bucks|\$)$/.test(w)) return 'USD';
  if (/^(gbp|pounds?|sterling|quid|£)$/.test(w)) return 'GBP';
  if (/^(eur|euros?|€)$/.test(w)) return 'EUR';
  if (/^(inr|rupees?|rs|₹)$/.test(w)) return 'INR';
  void market;
  return null;
}

function parseNumber(raw: string): { value: number; grouped: boolean } {
  if (raw.includes(' ')) return { value: Number(raw.replace(/ /g, '')), grouped: true };
  if (/^\d{1,3}(?:\.\d{3}){2,}$/.test(raw)) return { value: Number(raw.replace(/\./g, '')), grouped: true };
  if (raw.includes(',')) return { value: Number(raw.replace(/,/g, '')), grouped: true };
  return { value: Number(raw), grouped: false };
}

function scan(t: string, market: Market): Candidate[] {
  const out: Candidate[] = [];
  NUMBER_RE.lastIndex = 0;
  for (let m = NUMBER_RE.exec(t); m !== null; m = NUMBER_RE.exec(t)) {
    const raw = m[0];
    const start = m.index;
    let end = start + raw.length;
    const { value, grouped } = parseNumber(raw);
    if (!Number.isFinite(value)) continue;
    const prevChar = start > 0 ? t[start - 1] : ' ';
    // part of a word or code such as "ar2", "dh2", "b2b", "3bhk" is handled below; "abc123" is not money
    if (prevChar !== undefined && /[a-z_]/.test(prevChar) && !/(?:aed|dhs?|usd|gbp|inr|eur|rs|us)$/.test(t.slice(Math.max(0, start - 3), start))) continue;
    const pre = t.slice(Math.max(0, start - 48), start);
    let post = t.slice(end, end + 64);
    const c: Candidate = {
      start, end, raw, value, mult: null, multIsInr: false, currency: null, period: null, bound: null,
      excluded: false, grouped, cue: false, strongCue: false, joinNext: false, betweenBefore: false,
    };
    if (NOT_MONEY_AFTER_RE.test(post) || FEE_BEFORE_RE.test(pre)) {
      c.excluded = true;
    } else {
      const mm = MULT_RE.exec(post);
      if (mm) {
        const unit = mm[1] ?? '';
        c.mult = MULTS[unit] ?? null;
        c.multIsInr = /^(cr|crores?|l|lk|lacs?|lakhs?)$/.test(unit);
        end += mm[0].length;
        post = t.slice(end, end + 64);
      }
      const ca = CUR_AFTER_RE.exec(post);
      if (ca) {
        c.currency = currencyCode(ca[1] ?? '', market);
        end += ca[0].length;
        post = t.slice(end, end + 64);
      }
      const cb = CUR_BEFORE_RE.exec(pre);
      if (!c.currency && cb) c.currency = currencyCode(cb[1] ?? '', market);
      if (c.multIsInr && !c.currency) c.currency = 'INR';
      const minA = MIN_AFTER_RE.exec(post);
      if (minA) { c.bound = 'min'; end += minA[0].length; post = t.slice(end, end + 64); }
      const pa = PERIOD_AFTER_RE.exec(post);
      if (pa) {
        const p = pa[1] ?? '';
        // "8 pm" is a time of day, not "per month"
        if (!(p === 'pm' && value < 13 && c.mult === null)) {
          c.period = /^(annum|annually|yearly|year|yr|pa|p\.a\.?)$/.test(p) ? 'year' : /^(week|weekly|wk|pw|p\/w)$/.test(p) ? 'week' : 'month';
          end += pa[0].length;
          post = t.slice(end, end + 64);
        }
      }
      if (!c.period) {
        const pb = PERIOD_BEFORE_RE.exec(pre);
        if (pb) {
          const p = pb[1] ?? '';
          c.period = /year|annual/.test(p) ? 'year' : /week/.test(p) ? 'week' : 'month';
        }
      }
      if (!c.bound) {
        const maxA = MAX_AFTER_RE.exec(post);
        if (maxA) { c.bound = 'max'; end += maxA[0].length; }
      }
      if (!c.bound) {
        if (MIN_BEFORE_RE.test(pre)) c.bound = 'min';
        else if (MAX_BEFORE_RE.test(pre)) c.bound = 'max';
      }
      c.cue = CUE_BEFORE_RE.test(pre);
      c.strongCue = STRONG_CUE_BEFORE_RE.test(pre);
      c.betweenBefore = BETWEEN_BEFORE_RE.test(pre);
    }
    c.end = end;
    if (!c.excluded && FEE_AFTER_RE.test(t.slice(end, end + 40))) c.excluded = true;
    if (!c.excluded && c.mult === null && c.currency === null && !c.grouped && ADDRESS_BEFORE_RE.test(pre)) c.excluded = true;
    // "Arabian Ranches 3", "Damac Hills 2", "Tower 7": a small number that ends a name
    if (!c.grouped && c.mult === null && c.currency === null && c.value < 10 && Number.isInteger(c.value)
      && /[a-z]{3,} $/.test(pre) && !CUE_BEFORE_RE.test(pre) && !/(?:^|[^a-z])(?:and|or|to|is|of|be|at|about|around|max|under|over|from|with|than|the|a|in|by|for|only|just|maybe|need|want|got|have)\s$/.test(pre)) {
      NUMBER_RE.lastIndex = Math.max(NUMBER_RE.lastIndex, end);
      continue;
    }
    out.push(c);
    NUMBER_RE.lastIndex = Math.max(NUMBER_RE.lastIndex, end);
  }
  for (let i = 0; i + 1 < out.length; i++) {
    const a = out[i]!;
    const b = out[i + 1]!;
    const between = t.slice(a.end, b.start);
    if (between.length <= 12 && RANGE_JOIN_RE.test(between.replace(new RegExp(String.raw`(?:${CUR_WORD})\s?$`), ''))) {
      a.joinNext = true;
      if (a.excluded || b.excluded) { a.excluded = true; b.excluded = true; }
    }
  }
  // exclusion runs both ways through chains such as "2, 3 or 4 bedrooms"
  for (let i = out.length - 2; i >= 0; i--) {
    const a = out[i]!;
    if (a.joinNext && out[i + 1]!.excluded) a.excluded = true;
  }
  return out;
}

function isYearLike(c: Candidate): boolean {
  return !c.grouped && c.mult === null && c.currency === null && Number.isInteger(c.value) && c.value >= 1900 && c.value <= 2100;
}

type Strength = 0 | 1 | 2 | 3;

function strength(c: Candidate, ctx: BudgetContext): Strength {
  if (c.excluded || c.value === 0) return 0;
  if (c.mult !== null || c.currency !== null) return 3;
  if (c.grouped && c.value >= 1000) return 3;
  if (c.period !== null && c.value >= 100) return 3;
  if (isYearLike(c)) return c.strongCue ? 2 : 0;
  if (/^0\d/.test(c.raw)) return 0;
  if (c.raw.replace(/\D/g, '').length >= 10) return 0;
  if (c.value >= 1000 && c.cue) return 2;
  if (ctx.expectBudget && c.value > 0) return 2;
  if (c.value >= 1000) return 1;
  return 0;
}

interface Pick { lo: Candidate; hi: Candidate | null; strength: Strength }

function applyUnitOnce(lo: Candidate, hi: Candidate): [number, number] {
  let loMult = lo.mult;
  let hiMult = hi.mult;
  // a unit written once covers a bare small figure only ("1-1.5M"), never "1,200,000 and 1.8M"
  if (loMult === null && hiMult !== null && !lo.grouped && lo.value < 1000) {
    loMult = hiMult;
    // "900-1.2M" means 900k to 1.2M
    if (lo.value * loMult > hi.value * hiMult && hiMult >= 1e6) loMult = 1e3;
  }
  if (hiMult === null && loMult !== null && !hi.grouped && hi.value < 1000) hiMult = lo.value * loMult <= hi.value * loMult ? loMult : null;
  return [lo.value * (loMult ?? 1), hi.value * (hiMult ?? 1)];
}

/** Budgets in a text, strongest first: the building block for normalizeBudget and the extractor. */
function pickBudget(t: string, market: Market, ctx: BudgetContext): Pick | null {
  const cands = scan(t, market);
  const picks: Pick[] = [];
  for (let i = 0; i < cands.length; i++) {
    const a = cands[i]!;
    const b = cands[i + 1];
    if (a.joinNext && b && !a.excluded && !b.excluded) {
      const sa = strength(a, { ...ctx, expectBudget: ctx.expectBudget || b.mult !== null || b.currency !== null });
      const sb = strength(b, { ...ctx, expectBudget: ctx.expectBudget || a.mult !== null || a.currency !== null });
      const s = Math.max(sa, sb) as Strength;
      if (s > 0 && b) {
        picks.push({ lo: a, hi: b, strength: s });
        i++;
        continue;
      }
    }
    const s = strength(a, ctx);
    if (s > 0) picks.push({ lo: a, hi: null, strength: s });
  }
  if (picks.length === 0) return null;
  const best = Math.max(...picks.map((p) => p.strength));
  const strong = picks.filter((p) => p.strength === best);
  // "3M, actually make it 3.5M": a correction makes the last figure the one that counts
  const last = strong[strong.length - 1]!;
  const first = strong[0]!;
  if (strong.length > 1 && CORRECTION_RE.test(t.slice(first.lo.start, last.lo.start))) return last;
  return first;
}

function rentInText(t: string): boolean {
  return /(?:^|[^a-z])(rent|renting|rental|lease|leasing|tenancy|tenant|to let)(?![a-z])/.test(t)
    && !/(?:rental|rent) (?:yield|income|return|roi)|rent(?:ing|ed)? (?:it |them )?out|buy[ -]to[ -]let/.test(t);
}

/**
 * The budget a lead states in `text`, normalised to whole units of the currency's main unit;
 * null when the text carries no budget. Bedroom counts, years, phone numbers and durations are
 * not budgets.
 */
export function normalizeBudget(text: string, market: Market, ctx: BudgetContext = {}): Budget | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  const lower = preprocess((text.length > MAX_PARSE_CHARS ? text.slice(0, MAX_PARSE_CHARS) : text).toLowerCase().replace(/[\u2010-\u2015\u2212]/g, '-').replace(/\s+/g, ' '));
  const pick = pickBudget(lower, market, ctx);
  if (!pick) return null;
  const { lo, hi } = pick;
  let min: number | null;
  let max: number | null;
  if (hi) {
    [min, max] = applyUnitOnce(lo, hi);
    if (min > max) [min, max] = [max, min];
  } else {
    let v = lo.value * (lo.mult ?? 1);
    // "2.5" as the answer to a budget question in a sale market means 2.5 million
    if (lo.mult === null && ctx.expectBudget && v < 100 && market !== 'IN' && ctx.listing !== 'rent' && lo.currency === null) v *= 1e6;
    if (lo.bound === 'min') { min = v; max = null; } else { min = null; max = v; }
  }
  const stated = lo.currency ?? hi?.currency ?? null;
  let currency = stated ?? (lo.multIsInr || hi?.multIsInr ? 'INR' : null);
  if (!currency) {
    const any = new RegExp(String.raw`(?:^|[^a-z])(aed|dhs|dirhams?|usd|dollars?|gbp|pounds?|quid|eur|euros?|inr|rupees?|\$|£|€|₹)(?![a-z])`).exec(lower);
    if (any) currency = currencyCode(any[1] ?? '', market);
  }
  const currencyStated = currency !== null;
  currency ??= MARKET_CURRENCY[market];
  let stPeriod = lo.period ?? hi?.period ?? null;
  if (!stPeriod) {
    const any = PERIOD_ANYWHERE_RE.exec(lower);
    if (any) {
      const p = any[1] ?? '';
      stPeriod = /year|annum|annual|yr|p\.a\./.test(p) ? 'year' : /week|pw/.test(p) ? 'week' : 'month';
    }
  }
  if (stPeriod === 'week') {
    // weekly rents (common in the UK) are normalised to calendar months
    const toMonth = (v: number | null): number | null => (v === null ? null : Math.round((v * 52) / 12));
    min = toMonth(min);
    max = toMonth(max);
    stPeriod = 'month';
  }
  const listing = ctx.listing ?? (rentInText(lower) ? 'rent' : null);
  const period: BudgetPeriod = stPeriod ?? (listing === 'rent' ? MARKET_RENT_PERIOD[market] : 'total');
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v));
  return { min: round(min), max: round(max), currency, period, currencyStated, periodStated: stPeriod !== null };
}
