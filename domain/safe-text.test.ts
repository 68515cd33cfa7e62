import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cleanJson, cleanText, isCleanText } from './safe-text';
import { redactRawBody, ERASED_VALUE } from './raw-body.redactor';
import { pendingTimers, retentionDueAt } from './lead-timers.rules';
import { initialLeadState } from './lead-state.model';
import { eraseState } from './lead-state.commands';

describe('cleanText', () => {
  it('removes NUL, other C0 controls and lone surrogates, keeps pairs, tabs and newlines', () => {
    expect(cleanText('a\u0000b\u0007c\td\ne😀f\ud800g\udc00h')).toBe('abc\td\ne😀fgh');
  });
  it('cuts to the limit without splitting a surrogate pair', () => {
    expect(cleanText('ab😀', 3)).toBe('ab');
    expect(cleanText('abc', 10)).toBe('abc');
  });
  it('always yields text Postgres accepts (no NUL, no lone surrogate), within the limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.integer({ min: 0, max: 50 }), (s, max) => {
        const out = cleanText(s, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(isCleanText(out)).toBe(true);
        expect(out.includes('\u0000')).toBe(false);
        expect(() => encodeURIComponent(out)).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });
  it('cleans every string and key of a JSON value and bounds its size', () => {
    expect(cleanJson({ 'k\u0000': ['x\ud800'], n: 1 })).toEqual({ k: ['x'], n: 1 });
    expect((cleanJson(Array.from({ length: 500 }, () => 1), { maxItems: 10 }) as unknown[]).length).toBe(10);
  });
});

describe('redactRawBody', () => {
  it('erases the values that hold a needle and keeps the rest of a JSON body', () => {
    const raw = JSON.stringify({ contacts: [{ wa_id: '971501234567', profile: { name: 'Omar' } }], other: { wa_id: '971509999999' }, text: 'hi there' });
    const out = JSON.parse(redactRawBody(raw, 'application/json', ['971501234567', 'Omar', 'hi there'])) as Record<string, unknown>;
    expect(out).toEqual({ contacts: [{ wa_id: ERASED_VALUE, profile: { name: ERASED_VALUE } }], other: { wa_id: '971509999999' }, text: ERASED_VALUE });
  });
  it('redacts form bodies by value, and replaces what it cannot read', () => {
    expect(redactRawBody('From=%2B971501234567&Body=hello', 'application/x-www-form-urlencoded', ['971501234567'])).toBe('From=%5Berased%5D&Body=hello');
    expect(redactRawBody('not json 971501234567', 'application/json', ['971501234567'])).toBe(ERASED_VALUE);
  });
});

describe('retention timer', () => {
  const base = initialLeadState({ leadId: 'l', market: 'AE', channel: 'web', createdAt: '2026-01-01T00:00:00.000Z' });
  it('is due one retention period after the last message (or creation), and off without a period', () => {
    expect(retentionDueAt(base)).toBeNull();
    const s = { ...base, settings: { ...base.settings, retentionMs: 1000 } };
    expect(retentionDueAt(s)).toBe(Date.parse('2026-01-01T00:00:01.000Z'));
    expect(retentionDueAt({ ...s, lastInboundAt: '2026-02-01T00:00:00.000Z' })).toBe(Date.parse('2026-02-01T00:00:01.000Z'));
    expect(pendingTimers(s).map((t) => t.kind)).toContain('retention');
  });
  it('stops once asked for, or once the lead is erased', () => {
    const s = { ...base, settings: { ...base.settings, retentionMs: 1000 } };
    expect(retentionDueAt({ ...s, retentionRequestedAt: '2026-01-02T00:00:00.000Z' })).toBeNull();
    expect(retentionDueAt(eraseState(s, { at: '2026-01-02T00:00:00.000Z' }).state)).toBeNull();
  });
});
