import { describe, expect, it } from 'vitest';
import { eligibleBrokers, pickNextBroker, type BrokerCandidate } from './broker-routing';

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
});
