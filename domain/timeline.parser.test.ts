import { describe, expect, it } from 'vitest';
import { bucketMonths, parseTimeline } from './timeline.parser';

const NOW = '2026-11-23';

describe('parseTimeline', () => {
  it.each([
    ['asap', '0-3m'], ['immediately', '0-3m'], ['this month', '0-3m'], ['next month', '0-3m'], ['in a few weeks', '0-3m'],
    ['within 3 months', '0-3m'], ['in 3 months', '0-3m'], ['exactly 3 months', '0-3m'], ['in 4 months', '3-6m'], ['6 months', '3-6m'],
    ['Timeline 6 months', '3-6m'], ['in 9 months', '6-12m'], ['12 months', '6-12m'], ['in a year', '6-12m'], ['within a year', '6-12m'],
    ['13 months', '12m+'], ['in 2 years', '12m+'], ['a couple of years', '12m+'], ['more than a year', '12m+'], ['3-6 months', '3-6m'],
    ['6-12 months', '6-12m'], ['moving in February', '0-3m'], ['by end of January', '0-3m'], ['in March', '3-6m'], ['in May', '3-6m'], ['in June', '6-12m'],
    ['end of next year', '12m+'], ['early next year', '0-3m'], ['end of the year', '0-3m'], ['Q2 2027', '3-6m'], ['in 2 weeks', '0-3m'],
  ])('%s → %s', (text, bucket) => {
    expect(parseTimeline(text, NOW)?.timeline).toBe(bucket);
  });

  it('counts named months and years from now', () => {
    expect(parseTimeline('in March', '2026-01-05')?.timeline).toBe('0-3m');
    expect(parseTimeline('by end of March', '2027-06-15')?.timeline).toBe('6-12m');
    expect(parseTimeline('end of next year', '2026-12-01')?.timeline).toBe('6-12m');
    expect(parseTimeline('in November', NOW)?.timeline).toBe('0-3m');
  });

  it('returns null for a lead who does not know, undefined when timing is not mentioned', () => {
    expect(parseTimeline('just browsing', NOW)).toEqual({ timeline: null, months: null });
    expect(parseTimeline('not sure', NOW)?.timeline).toBeNull();
    expect(parseTimeline('2 bed in JVC', NOW)).toBeUndefined();
  });

  it('ignores durations that are not a move date', () => {
    expect(parseTimeline('12 month lease', NOW)).toBeUndefined();
    expect(parseTimeline('renting for 6 months', NOW)).toBeUndefined();
    expect(parseTimeline('75k a year', NOW)).toBeUndefined();
    expect(parseTimeline('been looking for 2 years', NOW)).toBeUndefined();
    expect(parseTimeline('budget 3M', NOW)).toBeUndefined();
    expect(parseTimeline('$2 - 3M', NOW)).toBeUndefined();
    expect(parseTimeline('may I ask', NOW)).toBeUndefined();
  });

  it('reads a bare number as months when timing was asked', () => {
    expect(parseTimeline('3', NOW, { expectTimeline: true })?.timeline).toBe('0-3m');
    expect(parseTimeline('3', NOW)).toBeUndefined();
  });

  it('applies the SPEC boundaries', () => {
    expect([3, 3.01, 6, 6.5, 12, 12.5].map(bucketMonths)).toEqual(['0-3m', '3-6m', '3-6m', '6-12m', '6-12m', '12m+']);
  });

  it('counts the half in "a year and a half"', () => {
    expect(parseTimeline('buying in a year and a half', '2026-11-23')).toMatchObject({ timeline: '12m+', months: 18 });
    expect(parseTimeline('in one and a half years', '2026-11-23')).toMatchObject({ timeline: '12m+' });
    expect(parseTimeline('in 2 and a half months', '2026-11-23')).toMatchObject({ timeline: '0-3m' });
  });

  it('reads a bare month name as the answer to a "when" question', () => {
    expect(parseTimeline('Jan', '2026-11-23', { expectTimeline: true })).toMatchObject({ timeline: '0-3m' });
    expect(parseTimeline('March', '2026-11-23', { expectTimeline: true })).toMatchObject({ timeline: '3-6m' });
    expect(parseTimeline('I may come', '2026-11-23', { expectTimeline: true })).toBeUndefined();
  });

  it('reads a month with a day of the month as a date ("from 1st March", "March 3rd")', () => {
    expect(parseTimeline('from 1st March', '2026-11-23')?.timeline).toBe('3-6m');
    expect(parseTimeline('moving on the 15th of march', '2026-11-23')?.timeline).toBe('3-6m');
    expect(parseTimeline('ready by March 3rd', '2026-11-23')?.timeline).toBe('3-6m');
    expect(parseTimeline('start 2 Jan', '2026-11-23')?.timeline).toBe('0-3m');
    // still not a month without a cue
    expect(parseTimeline('we may move', '2026-11-23')).toBeUndefined();
  });

  it('reads a season with a year ("summer 2027") and ignores a bare season word', () => {
    expect(parseTimeline('we plan to move summer 2027', '2026-10-01')).toMatchObject({ timeline: '6-12m' });
    expect(parseTimeline('spring 2028', '2026-10-01')).toMatchObject({ timeline: '12m+' });
    expect(parseTimeline('winter 2026', '2026-10-01')).toMatchObject({ timeline: '0-3m' });
    expect(parseTimeline('a summer house with a pool', '2026-10-01')).toBeUndefined();
  });

  it('reads a bare answer that starts with "actually" or "ok"', () => {
    expect(parseTimeline('actually 8', '2026-11-23', { expectTimeline: true })?.timeline).toBe('6-12m');
    expect(parseTimeline('ok, 2', '2026-11-23', { expectTimeline: true })?.timeline).toBe('0-3m');
  });
});

describe('quarters, contracts and property dates', () => {
  it('reads quarters against now', () => {
    expect(parseTimeline('Q2 next year', '2026-03-10')?.timeline).toBe('12m+');
    expect(parseTimeline('in Q2', '2026-03-10')?.timeline).toBe('0-3m');
    expect(parseTimeline('want to buy this quarter', '2026-03-10')?.timeline).toBe('0-3m');
    expect(parseTimeline('next quarter', '2026-03-10')?.timeline).toBe('0-3m');
  });

  it('takes the month a contract ends as the move', () => {
    expect(parseTimeline('my contract finish jan', NOW)?.timeline).toBe('0-3m');
    expect(parseTimeline('lease ends in May', NOW)?.timeline).toBe('3-6m');
  });

  it('prefers the lead\'s own timing to a handover date, and falls back to it', () => {
    expect(parseTimeline('want to buy this quarter, the one with 2028 handover', '2026-03-10')?.timeline).toBe('0-3m');
    expect(parseTimeline('handover in 2028 is fine, I want to buy this quarter', '2026-03-10')?.timeline).toBe('0-3m');
    expect(parseTimeline('off-plan, handover end of next year', '2026-03-10')?.timeline).toBe('12m+');
  });

  it('reads "12+ months" as more than a year', () => {
    expect(parseTimeline('12+ months', NOW)?.timeline).toBe('12m+');
  });
});
