import { asciiDigits } from './numerals';
import { instantOf, wallTime } from './quiet-hours';

// A time the lead proposes ("Saturday 11am", "السبت الساعة ١١ صباحا", "शनिवार सुबह 11 बजे",
// "kal shaam 6 baje", "after 6pm"), read in the lead's own time zone and resolved to the next
// instant it names after `now`. Pure: the zone arithmetic is Intl's (quiet-hours.ts).

export interface ProposedTime {
  /** The instant, ISO (UTC). */
  at: string;
  /** Whether the lead gave a time of day (not just a day: then 10:00 is assumed). */
  hasTime: boolean;
  /** "after" for "after 6pm" / "بعد" / "के बाद" / "ke baad". */
  after: boolean;
  /** The wall time as the lead meant it: "Sat 14 Mar 11:00 (Asia/Dubai)". */
  label: string;
}

const DAY_WORDS: ReadonlyArray<[RegExp, number]> = [
  // 0 = Sunday … 6 = Saturday (Date#getUTCDay)
  [/\b(?:sun(?:day)?)\b|الأحد|الاحد|रविवार|\bravivar\b|\bitwar\b/i, 0],
  [/\b(?:mon(?:day)?)\b|الاثنين|الإثنين|الاتنين|सोमवार|\bsomvar\b/i, 1],
  [/\b(?:tue(?:s(?:day)?)?)\b|الثلاثاء|الثلاثا|मंगलवार|\bmangalvar\b|\bmangalwar\b/i, 2],
  [/\b(?:wed(?:nesday)?)\b|الأربعاء|الاربعاء|बुधवार|\bbudhvar\b|\bbudhwar\b/i, 3],
  [/\b(?:thu(?:rs(?:day)?)?)\b|الخميس|गुरुवार|बृहस्पतिवार|\bguruvar\b|\bguruwar\b/i, 4],
  [/\b(?:fri(?:day)?)\b|الجمعة|الجمعه|शुक्रवार|\bshukravar\b|\bshukrawar\b/i, 5],
  [/\b(?:sat(?:urday)?)\b|السبت|शनिवार|\bshanivar\b|\bshaniwar\b/i, 6],
];
const TOMORROW_RE = /\btomorrow\b|\btmrw?\b|غدا|غداً|بكرة|بكره|कल|\bkal\b/i;
const TODAY_RE = /\btoday\b|\btonight\b|\bthis (?:evening|afternoon|morning)\b|اليوم|الليلة|आज|\baaj\b/i;
const AFTER_RE = /\bafter\b|\bfrom\b|بعد|के बाद|\bke baad\b|\bke bad\b|\bbaad\b/i;

const PM_RE = /^\s*(?:p\.?\s?m\.?\b|pm\b)/i;
const AM_RE = /^\s*(?:a\.?\s?m\.?\b|am\b)/i;
const EVENING_WORDS_RE = /مساء|مساءً|العصر|بالليل|الليل|शाम|रात|दोपहर|\bshaam\b|\bsham\b|\braat\b|\bdopahar\b|\bevening\b|\bnight\b|\bafternoon\b|\btonight\b/i;
const MORNING_WORDS_RE = /صباح|صباحا|صباحاً|الصبح|सुबह|\bsubah\b|\bsubha\b|\bmorning\b/i;

// "11am", "11:30 pm", "18:00", "6.30pm", "at 6", "الساعة 11", "11 बजे", "6 baje"
const TIME_RE = /(?:\b(?:at|around|by|after|from)\s+|الساعة\s*|الساعه\s*|ساعة\s*)?(\d{1,2})(?:[:.](\d{2}))?(\s*(?:a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z]))?(\s*(?:बजे|baje|o'?clock))?/gi;

const pad = (n: number) => String(n).padStart(2, '0');
const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface TimeOfDay {
  hour: number;
  minute: number;
}

function timeOfDay(text: string): TimeOfDay | null {
  const evening = EVENING_WORDS_RE.test(text);
  const morning = MORNING_WORDS_RE.test(text);
  for (const m of text.matchAll(TIME_RE)) {
    const full = m[0];
    const hour = Number(m[1]);
    const minute = m[2] !== undefined ? Number(m[2]) : 0;
    const meridiem = m[3] ?? '';
    const marked = meridiem !== '' || m[4] !== undefined || /^\s*(?:at|around|by|after|from)\s|^الساع|^ساعة/i.test(full) || m[2] !== undefined;
    // A bare number ("2 bed", "3M") is not a time; it needs a meridiem, a colon, "at" or "बजे".
    if (!marked || hour > 23 || minute > 59) continue;
    // "2 bedrooms at 11" style false hits stay out: a number right before a property word is not a time.
    const after = text.slice((m.index ?? 0) + full.length, (m.index ?? 0) + full.length + 12);
    if (/^\s*(?:bed|br\b|m\b|k\b|million|aed|sq)/i.test(after)) continue;
    let h = hour;
    if (PM_RE.test(meridiem) || (meridiem === '' && evening && h < 12)) h = h === 12 ? 12 : h + 12;
    else if (AM_RE.test(meridiem) || (meridiem === '' && morning)) h = h === 12 ? 0 : h;
    else if (meridiem === '' && m[2] === undefined && h >= 1 && h <= 7) h += 12; // "at 6": business hours read it as 18:00
    return { hour: h % 24, minute };
  }
  return null;
}

function targetDay(text: string): { weekday: number } | { offset: number } | null {
  for (const [re, day] of DAY_WORDS) if (re.test(text)) return { weekday: day };
  if (TOMORROW_RE.test(text)) return { offset: 1 };
  if (TODAY_RE.test(text)) return { offset: 0 };
  return null;
}

/** The time the text proposes, resolved after `nowMs` in `timeZone`; null when it names neither a day nor a time. */
export function parseProposedTime(input: string, nowMs: number, timeZone: string): ProposedTime | null {
  const text = asciiDigits(input);
  const tod = timeOfDay(text);
  const day = targetDay(text);
  if (!tod && !day) return null;
  const now = wallTime(nowMs, timeZone);
  const { hour, minute } = tod ?? { hour: 10, minute: 0 };
  const todayUtc = Date.UTC(now.year, now.month - 1, now.day);
  const instantFor = (offsetDays: number) => {
    const d = new Date(todayUtc + offsetDays * 86_400_000);
    return { ms: instantOf({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour, minute }, timeZone), d };
  };
  let chosen: { ms: number; d: Date };
  if (day && 'weekday' in day) {
    const todayDow = new Date(todayUtc).getUTCDay();
    let offset = (day.weekday - todayDow + 7) % 7;
    if (offset === 0 && instantFor(0).ms <= nowMs) offset = 7;
    chosen = instantFor(offset);
  } else if (day) {
    chosen = instantFor(day.offset);
    if (chosen.ms <= nowMs && day.offset === 0 && !tod) chosen = { ms: nowMs, d: chosen.d };
  } else {
    chosen = instantFor(0);
    if (chosen.ms <= nowMs) chosen = instantFor(1);
  }
  const d = chosen.d;
  const label = `${WEEKDAY[d.getUTCDay()]} ${d.getUTCDate()} ${MONTH[d.getUTCMonth()]}${tod ? ` ${pad(hour)}:${pad(minute)}` : ''} (${timeZone})`;
  return { at: new Date(chosen.ms).toISOString(), hasTime: tod !== null, after: AFTER_RE.test(text), label };
}
