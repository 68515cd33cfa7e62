import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/activity';
import { failDataErrorsAtOnce } from '../../activities/data-error.guard';
import { boundedId, boundedTime, FIELD_LIMITS, normalizeMessage } from '../../intake/inbound.normalizer';
import { isDataError } from '../../lib/data-error';
import { suppressionHashes } from '../../lib/suppression';

describe('inbound normaliser', () => {
  it('keeps short ids, and turns long or dirty ones into a stable hash', () => {
    expect(boundedId('wamid.ABC')).toBe('wamid.ABC');
    const long = `wamid.${'A'.repeat(300)}`;
    expect(boundedId(long)).toMatch(/^h:[0-9a-f]{64}$/);
    expect(boundedId(long)).toBe(boundedId(long));
    expect(boundedId(`${long}B`)).not.toBe(boundedId(long));
    expect(boundedId('a\u0000b')).toMatch(/^h:/);
  });
  it('replaces times that are not times, or absurd ones, with the time of receipt', () => {
    const now = new Date('2026-06-01T00:00:00.000Z');
    expect(boundedTime('2026-05-31T12:00:00.000Z', now)).toBe('2026-05-31T12:00:00.000Z');
    for (const bad of ['', 'nope', '1970-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '2030-01-01T00:00:00.000Z']) expect(boundedTime(bad, now)).toBe(now.toISOString());
  });
  it('bounds text and every free-form field of a message', () => {
    const m = normalizeMessage({
      providerId: 'x',
      channel: 'whatsapp',
      kind: 'text',
      text: `a\u0000${'b'.repeat(20_000)}`,
      receivedAt: 'garbage',
      formAnswers: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, 'v'.repeat(10_000)])),
    });
    expect(m.text.length).toBe(FIELD_LIMITS.text);
    expect(m.text.startsWith('ab')).toBe(true);
    expect(Object.keys(m.formAnswers!)).toHaveLength(FIELD_LIMITS.entries);
    expect(Object.values(m.formAnswers!)[0]!.length).toBe(FIELD_LIMITS.field);
    expect(Number.isNaN(Date.parse(m.receivedAt))).toBe(false);
  });
});

describe('data errors', () => {
  it('recognises Postgres data and constraint errors, and not outages', () => {
    expect(isDataError(Object.assign(new Error('x'), { code: '22021' }))).toBe(true);
    expect(isDataError(Object.assign(new Error('x'), { code: '23505' }))).toBe(true);
    expect(isDataError(Object.assign(new Error('x'), { code: '57P01' }))).toBe(false);
    expect(isDataError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(false);
  });
  it('fails an activity for good on a data error, with no value in the message', async () => {
    const acts = failDataErrorsAtOnce({
      bad: async () => Promise.reject(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00 near Omar'), { code: '22021' })),
      down: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    });
    const err = (await acts.bad().catch((e: unknown) => e)) as ApplicationFailure;
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err.nonRetryable).toBe(true);
    expect(err.type).toBe('DataError');
    expect(err.message).not.toContain('Omar');
    await expect(acts.down()).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('suppression hashes', () => {
  it('hashes the same number the same whatever channel it came from, and nothing readable', () => {
    const sms = suppressionHashes('k'.repeat(20), { phone: '+971501234567' });
    const wa = suppressionHashes('k'.repeat(20), { waId: '971501234567' });
    expect(sms).toEqual(wa);
    expect(sms[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(sms)).not.toContain('501234567');
    expect(suppressionHashes('other-key-0123456789', { phone: '+971501234567' })[0]!.hash).not.toBe(sms[0]!.hash);
  });
});
