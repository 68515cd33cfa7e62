import { describe, expect, it } from 'vitest';
import { eligibleBrokers, isAtWork, pickNextBroker, type BrokerCandidate } from './broker-routing';

const team = (): BrokerCandidate[] => [
  { id: 'broker-priya', active: true, paused: false, lastRoutedAt: null },
  { id: 'broker-amina', active: true, paused: false, lastRoutedAt: null },
  { id: 'broker-james', active: true, paused: false, lastRoutedAt: null },
];

describe('pickNextBroker', () => {
  it('goes round the team: never-routed first (by id), then longest since the last lead', () => {
    const brokers = team();
    const picks: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = pickNextBroker(brokers)!;
      picks.push(id);
      brokers.find((b) => b.id === id)!.lastRoutedAt = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
    }
    expect(picks).toEqual(['broker-amina', 'broker-james', 'broker-priya', 'broker-amina', 'broker-james', 'broker-priya']);
  });

  it('skips inactive, paused and already-tried brokers, and gives null when nobody is left', () => {
    const brokers = team();
    brokers[1]!.paused = true; // amina
    brokers[2]!.active = false; // james
    expect(eligibleBrokers(brokers).map((b) => b.id)).toEqual(['broker-priya']);
    expect(pickNextBroker(brokers)).toBe('broker-priya');
    expect(pickNextBroker(brokers, ['broker-priya'])).toBeNull();
    expect(pickNextBroker([])).toBeNull();
  });

  it('a broker added later gets the next lead', () => {
    const brokers: BrokerCandidate[] = team().map((b, i) => ({ ...b, lastRoutedAt: new Date(Date.UTC(2026, 0, 1, i)).toISOString() }));
    brokers.push({ id: 'broker-zed', active: true, paused: false, lastRoutedAt: null });
    expect(pickNextBroker(brokers)).toBe('broker-zed');
  });

  it('offers a lead only to brokers inside their working hours, in their own time zone', () => {
    const brokers = team();
    brokers[0]!.workingHours = '09:00-18:00';
    brokers[0]!.timeZone = 'Asia/Dubai';
    brokers[1]!.workingHours = '22:00-06:00'; // a night shift, wrapping midnight
    brokers[1]!.timeZone = null; // the team's zone
    // 10:00 in Dubai (06:00 UTC); the team's zone is London (06:00 there).
    const morning = { nowMs: Date.UTC(2026, 5, 1, 6, 0), defaultTimeZone: 'Europe/London' };
    expect(isAtWork(brokers[0]!, morning)).toBe(true);
    expect(isAtWork(brokers[1]!, morning)).toBe(false);
    expect(eligibleBrokers(brokers, [], morning).map((b) => b.id)).toEqual(brokers.filter((b) => b.id !== brokers[1]!.id).map((b) => b.id));
    // 23:00 UTC: 03:00 in Dubai (off), midnight in London (night shift on).
    const night = { nowMs: Date.UTC(2026, 5, 1, 23, 0), defaultTimeZone: 'Europe/London' };
    expect(eligibleBrokers(brokers, [], night).map((b) => b.id)).toContain(brokers[1]!.id);
    expect(eligibleBrokers(brokers, [], night).map((b) => b.id)).not.toContain(brokers[0]!.id);
    // Nobody at work: nobody is offered the lead (it goes to the pool).
    const everyoneDays = brokers.map((b) => ({ ...b, workingHours: '09:00-17:00', timeZone: 'Asia/Dubai' }));
    expect(pickNextBroker(everyoneDays, [], night)).toBeNull();
    // Without a clock (callers that do not care about hours) the rotation is unchanged.
    expect(pickNextBroker(everyoneDays)).not.toBeNull();
  });
});
