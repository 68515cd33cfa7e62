import fc from 'fast-check';
import { expect } from 'vitest';

// What the fuzz suite throws at the real stack: strings Postgres, JSON and HTTP choke on, ids of
// every shape, and whole JSON values. Run counts are small and fixed so the suite stays fast;
// the seed is printed by fast-check on failure, so any case replays.

const nasty = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '😀'.repeat(300),
  'x'.repeat(5000),
  '',
  ' ',
  '%00',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  "'; drop table leads; --",
  '\\u0000',
  '{"$ne":null}',
  '9'.repeat(400),
  '1e309',
  '-1',
  'NaN',
  'null',
);

/** A hostile string: printable, binary (lone surrogates, controls), huge, or a known troublemaker. */
export const hostileString = fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 60 }));

/** Any JSON value, with hostile strings in it. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A path segment as it may arrive: ids of every length, percent-encoded garbage, traversal. */
export const hostileSegment = fc.oneof(
  fc.uuid(),
  fc.constantFrom('%00', '%ED%A0%80', '%E0%A4%A', '..%2F..%2F', '9'.repeat(3000), 'null', '-1', '%20', 'a%2Fb'),
  fc.string({ maxLength: 50 }).map((s) => encodeURIComponent(s) || 'x'),
);

/** A 4xx must be the error envelope; nothing may be a 5xx. */
export async function expectSane(res: Response, what: string): Promise<void> {
  const text = await res.text();
  expect(res.status, `${what}: ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 400) {
    type Envelope = { error?: { code?: unknown; message?: unknown } };
    const parse = (): Envelope | null => {
      try {
        return JSON.parse(text) as Envelope;
      } catch {
        return null;
      }
    };
    const error = parse()?.error;
    expect(error, `${what}: ${res.status} without the error envelope: ${text.slice(0, 200)}`).toBeTruthy();
    expect(typeof error!.code, what).toBe('string');
    expect(typeof error!.message, what).toBe('string');
    expect(error, what).toHaveProperty('details');
  }
}
