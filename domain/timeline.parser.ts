import { BARE_LEAD_IN, CORRECTION_RE, MAX_PARSE_CHARS } from './text.util';

// When the lead wants to buy or move, in months from `now`, bucketed per SPEC: exactly 3
// months is 0-3m, exactly 6 is 3-6m, exactly 12 is 6-12m. Named months, quarters, seasons and
// "end of next year" are counted from `now`.

export type Timeline = '0-3m' | '3-6m' | '6-12m' | '12m+';

export interface TimelineResult {
  /** null when the lead says they do not know (browsing, not sure). */
  timeline: Timeline | null;
  months: number | null;
}

export interface TimelineContext {
  /** The lead answers a "when" question: a bare "3" means 3 months. */
  expectTimeline?: boolean;
}

export function bucketMonths(months: number): Timeline {
  if (months <= 3) return '0-3m';
  if (months <= 6) return '3-6m';
  if (months <= 12) return '6-12m';
  return '12m+';
}

const MONTHS: Readonly<Record<string, number>> = {
  january: 0, jan: 0, february: 1, feb: 1, march: 2, mar: 2, april: 3, apr: 3, may: 4, june: 5, jun: 5,
  july: 6, jul: 6, august: 7, aug: 7, september: 8, sept: 8, sep: 8, october: 9, oct: 9, november: 10, nov: 10,
  december: 11, dec: 11,
};
const NUM: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
  twelve: 12, eighteen: 18, twenty: 20, 'twenty four': 24, 'a couple of': 2, 'couple of': 2, 'a couple': 2, couple: 2,
  'a few': 3, few: 3, several: 6, 'half a': 0.5,
};

const NUM_WORD = String.raw`\d+(?:\.\d+)?|a couple of|couple of|a couple|a few|few|several|half a|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty`;
const UNIT = String.raw`months?|mos?|mths?|years?|yrs?|weeks?|wks?|days?`;
const DURATION_RE = new RegExp(String.raw`(?:^|[^a-z0-9.])(${NUM_WORD})(?:\s?(?:-|to|or|–)\s?(${NUM_WORD}))?\s?(${UNIT}|m(?![a-z0-9]))(?![a-z])`, 'g');
const NOT_TIMELINE_AFTER_RE = /^\s?(?:'s|s')?\s?(?:lease|contract|tenancy|deposit|notice|ago|old|payment|plan|cheques?|checks?|instal|stay|warranty|rent[- ]free|free|guarantee|rental|service|visa|probation|salary|of (?:rent|deposit|salary)|post|after handover|handover|cheque)/;
const AMOUNT_BEFORE_RE = /(?:\d\s?(?:k|m|mn|million|thousand|aed|dhs?|usd|gbp|inr|dollars?|pounds?|lakhs?|crores?|rupees?)?|[$£€₹]|per|each|every)\s?$/;
const NOT_TIMELINE_BEFORE_RE = /(?:^|[^a-z])(?:for|lease of|contract of|payment plan(?: of)?|notice(?: period)?(?: of)?|stay(?:ing)?(?: for)?|been|lived|living|working|since|deposit of|last|past|over the last|over the past|rent free|post[- ]handover|handover in|completion in|ready in|plan over)\s?(?:the\s|about\s|around\s)?$/;
const UNSURE_RE = /(?:^|[^a-z])(just browsing|browsing|not sure|unsure|no idea|don'?t know|dont know|do not know|undecided|not decided|haven'?t decided|no timeline|no fixed (?:date|timeline|plan)|no plans? yet|just looking around|just checking|no specific time|depends|idk|not yet decided)(?![a-z])/;
const NOW_RE = /(?:^|[^a-z])(asap|a\.s\.a\.p|immediately|immediate|urgent(?:ly)?|right away|right now|straight away|as soon as possible|this week|next week|this month|next month|today|tomorrow|tonight|in (?:a |the next )?(?:few|couple of) (?:weeks|days)|within (?:a few )?weeks|(?:in|within) a (?:week|fortnight)|ready now|move now|buy now|now please|end of (?:this |the )?month|within the month|in the coming weeks|coming weeks|few weeks|couple of weeks|soonest|fast as possible)(?![a-z])/;
const NEXT_MONTH_RE = /(?:^|[^a-z])next month(?![a-z])/;
// "my contract finish jan", "lease ends in March": the month the lead is free to move
const MONTH_NAME_RE = /(?:^|[^a-z])(?:(early|beginning of|start of|mid|middle of|late|end of|by the end of|by end of|by|before|in|until|till|around|from|after|this|next|coming|(?:finish(?:es|ed|ing)?|ends?|ending|expires?|expiring|is up|runs out|over)(?: in| on| by| at)?)\s)?(?:(?:the\s)?(\d{1,2})(?:st|nd|rd|th)?\s(?:of\s)?)?(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?:\s(\d{1,2})(?:st|nd|rd|th))?(?:,?\s(?:of\s)?(20\d\d))?(?![a-z])/g;
const YEAR_PHRASE_RE = /(?:^|[^a-z])(?:(early|beginning of|start of|mid|middle of|late|end of|by the end of|by end of|by|in|before|around|after)\s)?(?:(next|this|the)\s)?(year|20\d\d)(?:\s?(end))?(?![a-z0-9])/g;
const QUARTER_RE = /(?:^|[^a-z])q([1-4])(?:\s?(20\d\d)|\s(?:of\s)?(next|this)\s(?:year|yr))?(?![a-z0-9])/g;
const THIS_QUARTER_RE = /(?:^|[^a-z])(this|next|coming|the next|end of (?:this|the)) quarter(?![a-z])/;
/** A date that belongs to the property, not to the lead: "2028 handover", "completion in Q4 2027". */
const PROPERTY_DATE_BEFORE_RE = /(?:handover|hand over|handing over|completion|delivery|built|launch(?:ed|ing)?|finish(?:es|ed)? construction)\s(?:date\s)?(?:is\s|was\s|expected\s|planned\s|by\s|in\s|on\s|around\s|of\s|:\s?){0,2}$/;
const PROPERTY_DATE_AFTER_RE = /^\s?(?:-\s?)?(?:handover|hand over|completion|delivery|launch|project|off-?plan)/;

function propertyDate(t: string, start: number, end: number): boolean {
  return PROPERTY_DATE_BEFORE_RE.test(`${t.slice(Math.max(0, start - 40), start).trimEnd()} `) || PROPERTY_DATE_AFTER_RE.test(t.slice(end, end + 24));
}
const SEASON_RE = /(?:^|[^a-z])(?:(this|next|in the|by|in|coming)\s)?(spring|summer|autumn|fall|winter)(?:\s(?:of\s)?(20\d\d))?(?![a-z0-9])/g;
const TIMELINE_BARE_RE = new RegExp(String.raw`^\s?${BARE_LEAD_IN}(\d{1,2})(?:\s?(?:-|to|or)\s?(\d{1,2}))?\s?$`);

const HALF_AFTER_RE = /\b(a|an|one|two|three|\d+) (year|month)s? and a half\b/g;
const HALF_BETWEEN_RE = /\b(a|an|one|two|three|\d+) and a half (years?|months?)\b/g;

function num(word: string): number | null {
  const w = word.trim();
  if (/^\d/.test(w)) return Number(w);
  return NUM[w] ?? null;
}

/** `property`: a handover or completion date, the lead's timeline only when they give no other. */
interface Hit { at: number; months: number | null; property?: boolean }

function monthsUntil(now: Date, year: number, month: number): number {
  return (year * 12 + month) - (now.getUTCFullYear() * 12 + now.getUTCMonth());
}

/** Timeline stated in `text`; undefined when the text says nothing about timing. */
export function parseTimeline(text: string, nowInput: Date | string, ctx: TimelineContext = {}): TimelineResult | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const now = typeof nowInput === 'string' ? new Date(nowInput) : nowInput;
  if (Number.isNaN(now.getTime())) return undefined;
  const t = (text.length > MAX_PARSE_CHARS ? text.slice(0, MAX_PARSE_CHARS) : text).toLowerCase().replace(/[\u2010-\u2015]/g, '-').replace(/\s+/g, ' ')
    // "a year and a half", "one and a half years", "2 and a half months": the half counts
    .replace(HALF_AFTER_RE, (_m, n: string, unit: string) => `${(num(n) ?? 1) + 0.5} ${unit}s`)
    .replace(HALF_BETWEEN_RE, (_m, n: string, unit: string) => `${(num(n) ?? 1) + 0.5} ${unit}`)
    // "12+ months" is more than twelve
    .replace(/(\d+)\s?\+\s?(months?|mos?|years?|yrs?)(?![a-z])/g, 'more than $1 $2');
  let hits: Hit[] = [];
  const nowYear = now.getUTCFullYear();
  const nowMonth = now.getUTCMonth();

  DURATION_RE.lastIndex = 0;
  for (let m = DURATION_RE.exec(t); m !== null; m = DURATION_RE.exec(t)) {
    const unit = m[3] ?? '';
    const start = m.index + (m[0].length - m[0].trimStart().length);
    const end = m.index + m[0].length;
    const pre = t.slice(Math.max(0, start - 30), start);
    const post = t.slice(end, end + 30);
    // "3m" is a million unless it is plainly a time ("3-6m", or answering "when?")
    if (unit === 'm' && !ctx.expectTimeline) continue;
    if (NOT_TIMELINE_AFTER_RE.test(post) || NOT_TIMELINE_BEFORE_RE.test(pre)) continue;
    // "75k a year", "2,800 a month": a rate, not a date
    if ((m[1] === 'a' || m[1] === 'an' || m[1] === 'one') && AMOUNT_BEFORE_RE.test(pre)) continue;
    const lo = num(m[1] ?? '');
    const hi = m[2] !== undefined ? num(m[2]) : null;
    const v = hi ?? lo;
    if (v === null) continue;
    let months: number;
    if (/^y/.test(unit)) months = v * 12;
    else if (/^w/.test(unit)) months = v / 4.345;
    else if (/^d/.test(unit)) months = v / 30;
    else months = v;
    if (m[1] === 'a few' || m[1] === 'few') months = /^m/.test(unit) ? 4 : months;
    // "more than a year", "over 6 months", "after 2 years": beyond the figure
    if (/(?:more than|over|after|beyond|longer than|at least)\s?$/.test(pre)) months += 0.5;
    hits.push({ at: start, months });
  }

  const nowHit = NOW_RE.exec(t);
  if (nowHit) hits.push({ at: nowHit.index, months: NEXT_MONTH_RE.test(nowHit[0]) ? 1 : 0 });

  MONTH_NAME_RE.lastIndex = 0;
  for (let m = MONTH_NAME_RE.exec(t); m !== null; m = MONTH_NAME_RE.exec(t)) {
    const property = propertyDate(t, m.index, m.index + m[0].length);
    // a day of the month ("1st March", "March 3rd") makes the month a date
    const day = m[2] ?? m[4];
    const mod = m[1] ?? (day !== undefined && Number(day) >= 1 && Number(day) <= 31 ? 'on' : undefined);
    const name = m[3] ?? '';
    const year = m[5] ? Number(m[5]) : null;
    // "may" and "march" are also ordinary words: only as a month with a cue or a year
    // ... unless the whole answer to "when?" is the month ("Jan", "march?")
    const bareAnswer = ctx.expectTimeline && /^\s?[a-z]+\s?[.!?]*\s?$/.test(t);
    if ((name === 'may' || name === 'march' || name === 'mar' || name === 'jan' || name === 'sep') && !mod && year === null && !bareAnswer) continue;
    const month = MONTHS[name];
    if (month === undefined) continue;
    let diff: number;
    if (year !== null) diff = monthsUntil(now, year, month);
    else {
      diff = month - nowMonth;
      if (diff < 0 || (diff === 0 && mod === 'next')) diff += 12;
    }
    if (diff < 0) continue;
    hits.push({ at: m.index, months: diff, property });
  }

  YEAR_PHRASE_RE.lastIndex = 0;
  for (let m = YEAR_PHRASE_RE.exec(t); m !== null; m = YEAR_PHRASE_RE.exec(t)) {
    const property = propertyDate(t, m.index, m.index + m[0].length);
    const mod = m[1] ?? '';
    const which = m[2] ?? '';
    const word = m[3] ?? '';
    const endWord = m[4];
    let year: number;
    if (word === 'year') {
      if (which === 'next') year = nowYear + 1;
      else if (which === 'this' || (which === 'the' && /end/.test(mod)) || endWord) year = nowYear;
      else continue;
      if (!mod && !endWord && which !== 'next') continue;
    } else {
      if (!mod) continue;
      year = Number(word);
    }
    let month = 5;
    if (/early|beginning|start/.test(mod)) month = 1;
    else if (/mid|middle/.test(mod)) month = 6;
    else if (/late|end|before|by/.test(mod) || endWord) month = 11;
    else if (mod === 'after') month = 12;
    else if (word === 'year' && which === 'next' && !mod) month = 5;
    const diff = monthsUntil(now, year, month);
    if (diff < 0) continue;
    hits.push({ at: m.index, months: diff, property });
  }

  QUARTER_RE.lastIndex = 0;
  for (let m = QUARTER_RE.exec(t); m !== null; m = QUARTER_RE.exec(t)) {
    const property = propertyDate(t, m.index, m.index + m[0].length);
    const q = Number(m[1]);
    // the middle month of the quarter
    const midMonth = q * 3 - 2;
    let year = m[2] ? Number(m[2]) : m[3] === 'next' ? nowYear + 1 : nowYear;
    if (!m[2] && !m[3] && midMonth < nowMonth) year += 1;
    const diff = monthsUntil(now, year, midMonth);
    if (diff >= 0) hits.push({ at: m.index, months: diff, property });
  }

  const quarter = THIS_QUARTER_RE.exec(t);
  if (quarter) {
    const thisMid = Math.floor(nowMonth / 3) * 3 + 1;
    const which = quarter[1] ?? '';
    hits.push({ at: quarter.index, months: /next|coming/.test(which) ? thisMid + 3 - nowMonth : Math.max(0, thisMid - nowMonth) });
  }

  SEASON_RE.lastIndex = 0;
  for (let m = SEASON_RE.exec(t); m !== null; m = SEASON_RE.exec(t)) {
    const month = { spring: 3, summer: 6, autumn: 9, fall: 9, winter: 0 }[m[2] ?? 'summer'] ?? 6;
    // a season is a time only with a cue or a year ("summer 2027"), never "summer house"
    if (!m[1] && !m[3]) continue;
    let diff: number;
    // "winter 2026" starts in December 2026
    if (m[3]) diff = monthsUntil(now, Number(m[3]), m[2] === 'winter' ? 11 : month);
    else {
      diff = month - nowMonth;
      if (diff < 0 || m[1] === 'next') diff += 12;
    }
    if (diff < 0) continue;
    hits.push({ at: m.index, months: diff });
  }

  if (hits.length === 0 && ctx.expectTimeline) {
    const bare = TIMELINE_BARE_RE.exec(t.replace(/[.!]+$/, ''));
    if (bare) {
      const v = Number(bare[2] ?? bare[1]);
      if (v <= 36) hits.push({ at: 0, months: v });
    }
  }

  if (hits.length === 0) {
    const unsure = UNSURE_RE.exec(t);
    if (unsure) return { timeline: null, months: null };
    return undefined;
  }
  // "handover in 2028, but I want to buy this quarter": the lead's own timing wins over the property's
  if (hits.some((h) => !h.property)) hits = hits.filter((h) => !h.property);
  hits.sort((a, b) => a.at - b.at);
  const first = hits[0]!;
  const last = hits[hits.length - 1]!;
  const chosen = hits.length > 1 && CORRECTION_RE.test(t.slice(first.at, last.at)) ? last : first;
  if (chosen.months === null) return { timeline: null, months: null };
  return { timeline: bucketMonths(chosen.months), months: chosen.months };
}
