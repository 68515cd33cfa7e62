import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

// The lead lifecycle's durations (#4): defaults are the product's, and bad values fail at start.
describe('lead lifecycle configuration', () => {
  it('defaults to a 5 minute SLA, 3 escalations, the decaying cadence and 21:00-08:00 quiet hours', () => {
    const env = parseEnv({});
    expect(env.HANDOFF_SLA_MS).toBe(300_000);
    expect(env.HANDOFF_MAX_ESCALATIONS).toBe(3);
    expect(env.FOLLOW_UP_CADENCE_MS).toEqual([600_000, 86_400_000, 259_200_000, 604_800_000]);
    expect(env.FOLLOW_UP_NURTURE_EVERY_MS).toBe(30 * 86_400_000);
    expect(env.FOLLOW_UP_NURTURE_UNTIL_MS).toBe(90 * 86_400_000);
    expect(env.QUIET_HOURS).toBe('21:00-08:00');
    expect(env.LEAD_CONTINUE_AS_NEW_AFTER_EVENTS).toBe(0);
  });

  it('takes short durations for tests and demos', () => {
    const env = parseEnv({ HANDOFF_SLA_MS: '2000', FOLLOW_UP_CADENCE_MS: '1500, 3000', QUIET_HOURS: '22:30-07:00', DEFAULT_TIME_ZONE: 'Europe/London' });
    expect(env.HANDOFF_SLA_MS).toBe(2000);
    expect(env.FOLLOW_UP_CADENCE_MS).toEqual([1500, 3000]);
    expect(env.DEFAULT_TIME_ZONE).toBe('Europe/London');
  });

  it.each([
    ['FOLLOW_UP_CADENCE_MS', '3000,1500'],
    ['FOLLOW_UP_CADENCE_MS', '10,abc'],
    ['QUIET_HOURS', '9pm-8am'],
    ['DEFAULT_TIME_ZONE', 'Mars/Olympus'],
    ['HANDOFF_SLA_MS', '5'],
    ['LEAD_CONTINUE_AS_NEW_AFTER_EVENTS', '10'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(EnvError);
    expect(() => parseEnv({ [name]: value })).toThrow(name);
  });
});
