import { describe, expect, it } from 'vitest';
import { DEFAULT_FOLLOW_UP, anchorFollowUp, describeWish, emptyFollowUp, followUpOffsets, markNudgeSent, nextFollowUp, nudgeJitterMs, nudgeText, resetFollowUp, type FollowUpState } from './follow-up.schedule';
import { emptyProfile } from './profile.defaults';
import type { LeadProfile } from './profile.schema';
import { isQuietAt, parseQuietHours } from './quiet-hours';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const OFF = { startMinute: 0, endMinute: 0 };
const NIGHT = parseQuietHours('21:00-08:00');

function due(f: FollowUpState, quiet = OFF, timeZone = 'UTC', config = DEFAULT_FOLLOW_UP) {
  const n = nextFollowUp({ followUp: f, config, quiet, timeZone });
  return n ? { dueAt: new Date(n.dueAt).toISOString(), deferredFrom: n.deferredFrom ? new Date(n.deferredFrom).toISOString() : null } : null;
}

describe('followUpOffsets', () => {
  it('is +10 min, +1, +3, +7 days, then monthly nurture to 90 days by default', () => {
    expect(followUpOffsets(DEFAULT_FOLLOW_UP)).toEqual([10 * MIN, DAY, 3 * DAY, 7 * DAY, 30 * DAY, 60 * DAY, 90 * DAY]);
  });

  it('has no nurture when its interval is 0', () => {
    expect(followUpOffsets({ cadenceMs: [1000, 2000], nurtureEveryMs: 0, nurtureUntilMs: 2000 })).toEqual([1000, 2000]);
  });
});

describe('nextFollowUp', () => {
  const anchor = '2026-01-10T10:00:00.000Z';

  it('walks the cadence from our last answer and ends after the last nurture nudge', () => {
    const f = emptyFollowUp();
    expect(due(f)).toBeNull();
    anchorFollowUp(f, anchor);
    expect(due(f)?.dueAt).toBe('2026-01-10T10:10:00.000Z');
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) {
      const d = due(f)!.dueAt;
      sent.push(d);
      markNudgeSent(f, d);
    }
    expect(sent).toEqual(['2026-01-10T10:10:00.000Z', '2026-01-11T10:00:00.000Z', '2026-01-13T10:00:00.000Z', '2026-01-17T10:00:00.000Z', '2026-02-09T10:00:00.000Z', '2026-03-11T10:00:00.000Z', '2026-04-10T10:00:00.000Z']);
    expect(f.sent).toBe(7);
    expect(due(f)).toBeNull();
  });

  it('starts over when the lead replies and we answer again', () => {
    const f = emptyFollowUp();
    anchorFollowUp(f, anchor);
    markNudgeSent(f, '2026-01-10T10:10:00.000Z');
    markNudgeSent(f, '2026-01-11T10:00:00.000Z');
    resetFollowUp(f); // the lead wrote
    expect(due(f)).toBeNull(); // until we answer
    anchorFollowUp(f, '2026-01-12T09:00:00.000Z');
    expect(f).toMatchObject({ step: 0, sent: 2, lastSentAt: null });
    expect(due(f)?.dueAt).toBe('2026-01-12T09:10:00.000Z');
  });

  it('defers a nudge out of quiet hours in the lead zone and remembers the undeferred time', () => {
    const f = emptyFollowUp();
    anchorFollowUp(f, '2026-01-10T16:55:00.000Z'); // 20:55 in Dubai: +10 min is 21:05
    expect(due(f, NIGHT, 'Asia/Dubai')).toEqual({ dueAt: '2026-01-11T04:00:00.000Z', deferredFrom: '2026-01-10T17:05:00.000Z' });
    expect(due(f, NIGHT, 'Europe/London')).toEqual({ dueAt: '2026-01-10T17:05:00.000Z', deferredFrom: null }); // 17:05 in London
  });

  it('keeps half the planned gap after a nudge that went out late', () => {
    const f = emptyFollowUp();
    anchorFollowUp(f, anchor);
    markNudgeSent(f, '2026-01-11T09:00:00.000Z'); // the +10 min nudge, very late
    // +1 day would be 10:00 the same morning; it waits half the gap (~12 h) instead.
    expect(due(f)?.dueAt).toBe(new Date(Date.parse('2026-01-11T09:00:00.000Z') + Math.floor((DAY - 10 * MIN) / 2)).toISOString());
  });

  it('honours a not-before time set when a timer fired inside quiet hours', () => {
    const f = emptyFollowUp();
    anchorFollowUp(f, anchor);
    f.notBefore = '2026-01-11T04:00:00.000Z';
    expect(due(f)?.dueAt).toBe('2026-01-11T04:00:00.000Z');
  });
});

describe('nudge texts', () => {
  const profile: LeadProfile = { ...emptyProfile(), propertyType: 'apartment', bedsMin: 2, bedsMax: 2, areas: ['Dubai Marina'], city: 'Dubai' };

  it('describe what the lead asked for', () => {
    expect(describeWish(profile)).toBe('2-bed apartment in Dubai Marina');
    expect(describeWish({ ...emptyProfile(), propertyType: 'villa', city: 'Dubai' })).toBe('villa in Dubai');
    expect(describeWish({ ...emptyProfile(), bedsMin: 0 })).toBe('studio');
    expect(describeWish({ ...emptyProfile(), city: 'London' })).toBe('place in London');
    expect(describeWish(emptyProfile())).toBeNull();
  });

  it('use the profile, vary by lead, and never print placeholders', () => {
    const texts = new Set<string>();
    for (let i = 0; i < 20; i++) texts.add(nudgeText({ profile, step: 0, cadenceSteps: 4, seed: `lead-${i}` }));
    expect(texts.size).toBeGreaterThan(1);
    for (const t of texts) expect(t).not.toMatch(/undefined|null|\$\{/);
    expect([...texts].some((t) => t.includes('2-bed apartment in Dubai Marina'))).toBe(true);
    for (let step = 0; step < 8; step++) {
      const t = nudgeText({ profile: emptyProfile(), step, cadenceSteps: 4, seed: 'x' });
      expect(t.length).toBeGreaterThan(20);
      expect(t).not.toMatch(/undefined|null| a a |in in/);
    }
  });

  it('are stable for one lead and step, and differ between early and nurture steps', () => {
    const a = nudgeText({ profile, step: 0, cadenceSteps: 4, seed: 'lead-1' });
    expect(nudgeText({ profile, step: 0, cadenceSteps: 4, seed: 'lead-1' })).toBe(a);
    const early = new Set(Array.from({ length: 10 }, (_, i) => nudgeText({ profile, step: 0, cadenceSteps: 4, seed: `s${i}` })));
    const nurture = new Set(Array.from({ length: 10 }, (_, i) => nudgeText({ profile, step: 5, cadenceSteps: 4, seed: `s${i}` })));
    expect([...early].some((t) => nurture.has(t))).toBe(false);
  });

  it('answer in Arabic when the lead wrote in Arabic', () => {
    expect(nudgeText({ profile, step: 1, cadenceSteps: 4, seed: 'x', lastLeadText: 'أبحث عن شقة في دبي مارينا' })).toMatch(/[\u0600-\u06FF]/);
  });
});

describe('nudge jitter', () => {
  const anchor = '2026-01-10T10:00:00.000Z';
  const JITTER = { ...DEFAULT_FOLLOW_UP, jitterMs: 15 * MIN };
  const next = (seed: string, f: FollowUpState, quiet = OFF, timeZone = 'UTC') => nextFollowUp({ followUp: f, config: JITTER, quiet, timeZone, seed })!;

  it('spreads the same nudge of many leads answered at once, each lead keeping its own time', () => {
    const f = emptyFollowUp();
    anchorFollowUp(f, anchor);
    markNudgeSent(f, '2026-01-10T10:10:00.000Z'); // step 1: +1 day, jitter up to 15 min
    const dues = Array.from({ length: 200 }, (_, i) => next(`lead-${i}`, f).dueAt);
    const base = Date.parse('2026-01-11T10:00:00.000Z');
    for (const d of dues) {
      expect(d).toBeGreaterThanOrEqual(base);
      expect(d).toBeLessThanOrEqual(base + 15 * MIN);
    }
    expect(new Set(dues).size).toBeGreaterThan(150);
    expect(next('lead-7', f).dueAt).toBe(next('lead-7', f).dueAt);
  });

  it('moves the first nudge by at most a quarter of its 10-minute gap', () => {
    const f = emptyFollowUp();
    anchorFollowUp(f, anchor);
    const dues = Array.from({ length: 100 }, (_, i) => next(`lead-${i}`, f).dueAt - Date.parse(anchor));
    expect(Math.min(...dues)).toBeGreaterThanOrEqual(10 * MIN);
    expect(Math.max(...dues)).toBeLessThanOrEqual(10 * MIN + 150_000);
  });

  it('spreads nudges deferred to the end of quiet hours without ever landing inside them', () => {
    const f = emptyFollowUp();
    anchorFollowUp(f, '2026-01-10T21:30:00.000Z'); // +1 day falls at 21:30 UTC, inside 21:00-08:00
    markNudgeSent(f, '2026-01-10T21:40:00.000Z');
    const dues = Array.from({ length: 100 }, (_, i) => next(`lead-${i}`, f, NIGHT));
    const end = Date.parse('2026-01-12T08:00:00.000Z');
    for (const d of dues) {
      expect(d.deferredFrom).not.toBeNull();
      expect(d.dueAt).toBeGreaterThanOrEqual(end);
      expect(d.dueAt).toBeLessThanOrEqual(end + 15 * MIN);
      expect(isQuietAt(d.dueAt, 'UTC', NIGHT)).toBe(false);
    }
    expect(new Set(dues.map((d) => d.dueAt)).size).toBeGreaterThan(50);
  });

  it('never pushes a nudge into quiet hours that starts right after it', () => {
    const f = emptyFollowUp();
    anchorFollowUp(f, '2026-01-10T20:50:00.000Z');
    markNudgeSent(f, '2026-01-10T21:00:00.000Z');
    // +1 day = 20:50 next day; any jitter past 21:00 must defer to 08:00 instead.
    for (let i = 0; i < 100; i++) expect(isQuietAt(next(`lead-${i}`, f, NIGHT).dueAt, 'UTC', NIGHT)).toBe(false);
  });

  it('leaves leads without a jitter setting (started before it) exactly on the cadence', () => {
    const f = emptyFollowUp();
    anchorFollowUp(f, anchor);
    expect(nextFollowUp({ followUp: f, config: DEFAULT_FOLLOW_UP, quiet: OFF, timeZone: 'UTC', seed: 'lead-1' })!.dueAt).toBe(Date.parse('2026-01-10T10:10:00.000Z'));
    expect(nudgeJitterMs('x', 0)).toBe(0);
  });
});
