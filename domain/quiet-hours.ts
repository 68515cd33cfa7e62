// Quiet hours in the lead's own time zone: nudges falling inside them wait until they end.
// Pure (Intl only, no clock): the workflow calls it with its deterministic time. The same
// instant and zone always give the same answer on one Node build; a tz-data update can move a
// deferral by the size of a changed offset, which only shifts a timer, never the command order.

export interface QuietHours {
  /** Minutes after local midnight when quiet hours begin (inclusive). */
  startMinute: number;
  /** Minutes after local midnight when they end (exclusive). Equal to start: no quiet hours. */
  endMinute: number;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { startMinute: 21 * 60, endMinute: 8 * 60 };

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses "21:00-08:00" (start-end, 24 h clock; a window may wrap midnight). */
export function parseQuietHours(spec: string): QuietHours {
  const [start, end, ...rest] = spec.trim().split('-');
  const s = start ? HHMM.exec(start.trim()) : null;
  const e = end ? HHMM.exec(end.trim()) : null;
  if (!s || !e || rest.length > 0) throw new Error(`quiet hours must look like 21:00-08:00, got "${spec}"`);
  return { startMinute: Number(s[1]) * 60 + Number(s[2]), endMinute: Number(e[1]) * 60 + Number(e[2]) };
}

export function formatQuietHours(q: QuietHours): string {
  const f = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${f(q.startMinute)}-${f(q.endMinute)}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time at `atMs` in `timeZone`. */
export function wallTime(atMs: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(atMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The zone's offset from UTC at `atMs`, in milliseconds (+04:00 → 14 400 000). */
export function offsetMs(atMs: number, timeZone: string): number {
  const w = wallTime(atMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(atMs / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in `timeZone`. A time skipped by a DST jump moves
 * forward by the jump (02:30 → 03:30); a time that happens twice maps to the first of the two.
 */
export function instantOf(wall: Omit<WallTime, 'second'> & { second?: number }, timeZone: string): number {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  const candidates = new Set<number>();
  for (const probe of [guess - 36 * 3600_000, guess, guess + 36 * 3600_000]) candidates.add(guess - offsetMs(probe, timeZone));
  candidates.add(guess - offsetMs(guess - offsetMs(guess, timeZone), timeZone));
  const matching = [...candidates]
    .filter((t) => {
      const w = wallTime(t, timeZone);
      return w.year === wall.year && w.month === wall.month && w.day === wall.day && w.hour === wall.hour && w.minute === wall.minute;
    })
    .sort((a, b) => a - b);
  if (matching.length > 0) return matching[0]!;
  // In a DST gap the wall time never happens: read it with the offset from before the jump.
  return Math.max(...candidates);
}

function minuteOfDay(atMs: number, timeZone: string): number {
  const w = wallTime(atMs, timeZone);
  return w.hour * 60 + w.minute;
}

export function isQuietAt(atMs: number, timeZone: string, quiet: QuietHours): boolean {
  const { startMinute: start, endMinute: end } = quiet;
  if (start === end) return false;
  const m = minuteOfDay(atMs, timeZone);
  return start < end ? m >= start && m < end : m >= start || m < end;
}

/** `atMs` itself outside quiet hours; otherwise the instant they end, in the lead's zone. */
export function deferOutOfQuietHours(atMs: number, timeZone: string, quiet: QuietHours): number {
  if (!isQuietAt(atMs, timeZone, quiet)) return atMs;
  const w = wallTime(atMs, timeZone);
  const m = w.hour * 60 + w.minute;
  // A window that wraps midnight and is entered before midnight ends on the next local day.
  const nextDay = quiet.startMinute > quiet.endMinute && m >= quiet.startMinute;
  const day = new Date(Date.UTC(w.year, w.month - 1, w.day + (nextDay ? 1 : 0)));
  const end = instantOf(
    {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      hour: Math.floor(quiet.endMinute / 60),
      minute: quiet.endMinute % 60,
    },
    timeZone,
  );
  return end > atMs ? end : atMs;
}
