import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deferOutOfQuietHours, formatQuietHours, instantOf, isQuietAt, isValidTimeZone, offsetMs, parseQuietHours, wallTime } from './quiet-hours';

const NIGHT = parseQuietHours('21:00-08:00');
const at = (iso: string) => Date.parse(iso);
const defer = (iso: string, tz: string, q = NIGHT) => new Date(deferOutOfQuietHours(at(iso), tz, q)).toISOString();

describe('parseQuietHours', () => {
  it('reads HH:MM-HH:MM into minutes of the day', () => {
    expect(parseQuietHours('21:00-08:00')).toEqual({ startMinute: 1260, endMinute: 480 });
    expect(parseQuietHours(' 22:30 - 07:15 ')).toEqual({ startMinute: 1350, endMinute: 435 });
    expect(formatQuietHours({ startMinute: 1350, endMinute: 435 })).toBe('22:30-07:15');
  });

  it.each(['21-08', '25:00-08:00', '21:00', '21:00-08:00-09:00', ''])('rejects %j', (spec) => {
    expect(() => parseQuietHours(spec)).toThrow(/21:00-08:00/);
  });
});

describe('isQuietAt', () => {
  it('uses the local time of the zone, with the end exclusive', () => {
    // Dubai is UTC+4 all year.
    expect(isQuietAt(at('2026-01-10T17:00:00Z'), 'Asia/Dubai', NIGHT)).toBe(true); // 21:00
    expect(isQuietAt(at('2026-01-10T16:59:00Z'), 'Asia/Dubai', NIGHT)).toBe(false); // 20:59
    expect(isQuietAt(at('2026-01-10T03:59:00Z'), 'Asia/Dubai', NIGHT)).toBe(true); // 07:59
    expect(isQuietAt(at('2026-01-10T04:00:00Z'), 'Asia/Dubai', NIGHT)).toBe(false); // 08:00
    // The same instant is daytime in London.
    expect(isQuietAt(at('2026-01-10T17:00:00Z'), 'Europe/London', NIGHT)).toBe(false);
  });

  it('handles a window that does not wrap midnight, and treats equal times as no quiet hours', () => {
    const lunch = parseQuietHours('13:00-15:00');
    expect(isQuietAt(at('2026-01-10T14:00:00Z'), 'UTC', lunch)).toBe(true);
    expect(isQuietAt(at('2026-01-10T15:00:00Z'), 'UTC', lunch)).toBe(false);
    expect(isQuietAt(at('2026-01-10T02:00:00Z'), 'UTC', parseQuietHours('00:00-00:00'))).toBe(false);
  });
});

describe('deferOutOfQuietHours', () => {
  it('leaves a time outside quiet hours alone', () => {
    expect(defer('2026-01-10T10:00:00.000Z', 'Asia/Dubai')).toBe('2026-01-10T10:00:00.000Z');
  });

  it('moves an evening time to 08:00 the next local day, and an early one to 08:00 the same day', () => {
    expect(defer('2026-01-10T17:30:00.000Z', 'Asia/Dubai')).toBe('2026-01-11T04:00:00.000Z'); // 21:30 → 08:00 next day
    expect(defer('2026-01-10T02:00:00.000Z', 'Asia/Dubai')).toBe('2026-01-10T04:00:00.000Z'); // 06:00 → 08:00
  });

  it('works in half-hour zones and across the UTC date line', () => {
    expect(defer('2026-01-10T16:00:00.000Z', 'Asia/Kolkata')).toBe('2026-01-11T02:30:00.000Z'); // 21:30 IST
    // 21:30 on 10 Jan in Auckland (UTC+13) is 08:30Z the same calendar day in UTC.
    expect(defer('2026-01-10T08:30:00.000Z', 'Pacific/Auckland')).toBe('2026-01-10T19:00:00.000Z');
  });

  it('lands on 08:00 local across a spring-forward night (New York, London)', () => {
    // 22:00 EST on 7 Mar 2026; clocks jump 02:00 → 03:00 that night; 08:00 EDT is 12:00Z.
    expect(defer('2026-03-08T03:00:00.000Z', 'America/New_York')).toBe('2026-03-08T12:00:00.000Z');
    // 22:00 GMT on 28 Mar 2026; BST starts at 01:00Z; 08:00 BST is 07:00Z.
    expect(defer('2026-03-28T22:00:00.000Z', 'Europe/London')).toBe('2026-03-29T07:00:00.000Z');
  });

  it('lands on 08:00 local across a fall-back night', () => {
    // 23:00 EDT on 31 Oct 2026; clocks fall back 02:00 → 01:00; 08:00 EST is 13:00Z.
    expect(defer('2026-11-01T03:00:00.000Z', 'America/New_York')).toBe('2026-11-01T13:00:00.000Z');
  });

  it('never returns a quiet or earlier time, and waits less than a day (any zone, any instant)', () => {
    const zones = ['Asia/Dubai', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 0, max: 1439 }),
        (t, tz, start, end) => {
          const q = { startMinute: start, endMinute: end };
          const d = deferOutOfQuietHours(t, tz, q);
          expect(d).toBeGreaterThanOrEqual(t);
          expect(d - t).toBeLessThanOrEqual(26 * 3600_000);
          expect(isQuietAt(d, tz, q)).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('wall time helpers', () => {
  it('reads offsets, including DST', () => {
    expect(offsetMs(at('2026-01-10T12:00:00Z'), 'Asia/Dubai')).toBe(4 * 3600_000);
    expect(offsetMs(at('2026-07-10T12:00:00Z'), 'America/New_York')).toBe(-4 * 3600_000);
    expect(offsetMs(at('2026-01-10T12:00:00Z'), 'America/New_York')).toBe(-5 * 3600_000);
    expect(wallTime(at('2026-01-10T17:30:00Z'), 'Asia/Dubai')).toMatchObject({ year: 2026, month: 1, day: 10, hour: 21, minute: 30 });
  });

  it('maps a skipped wall time forward by the jump and a repeated one to its first occurrence', () => {
    expect(new Date(instantOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York')).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(new Date(instantOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York')).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('validates zone names', () => {
    expect(isValidTimeZone('Asia/Dubai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
