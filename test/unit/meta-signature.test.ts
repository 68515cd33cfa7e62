import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeMetaSignature, verifyMetaSignature, verifyWebhookChallenge } from '../../channels/meta/meta-signature';

const SECRET = 'test-app-secret';
const fixtureBytes = (name: string) => readFileSync(new URL(`../fixtures/meta/${name}`, import.meta.url));
const sign = (body: Buffer | string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifyMetaSignature', () => {
  const body = fixtureBytes('wa-text-non-ascii.json');

  it('accepts the signature over the exact bytes received (\\uXXXX escapes intact)', () => {
    expect(body.includes(Buffer.from('\\u0645'))).toBe(true);
    expect(verifyMetaSignature(body, sign(body), SECRET)).toBe(true);
    expect(computeMetaSignature(body, SECRET)).toBe(sign(body));
  });

  it('accepts an upper-case hex digest and surrounding whitespace', () => {
    expect(verifyMetaSignature(body, `  sha256=${sign(body).slice(7).toUpperCase()} `, SECRET)).toBe(true);
  });

  it('rejects a signature computed over re-serialised JSON', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    expect(reserialised.equals(body)).toBe(false);
    expect(verifyMetaSignature(body, sign(reserialised), SECRET)).toBe(false);
    // and a body we re-serialised ourselves does not match Meta's signature either
    expect(verifyMetaSignature(reserialised, sign(body), SECRET)).toBe(false);
  });

  it('rejects a tampered body', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('16505551234', '16505550000'));
    expect(verifyMetaSignature(tampered, sign(body), SECRET)).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyMetaSignature(body, sign(body, 'other-secret'), SECRET)).toBe(false);
  });

  it('rejects a missing, empty or malformed header', () => {
    const good = sign(body);
    for (const header of [undefined, '', 'sha256=', good.slice(7), `sha1=${good.slice(7)}`, `${good}00`, good.slice(0, -2), `sha256=${'z'.repeat(64)}`, `sha256=${good.slice(7)},sha256=${good.slice(7)}`]) {
      expect(verifyMetaSignature(body, header, SECRET), String(header)).toBe(false);
    }
  });

  it('rejects when the app secret is not configured', () => {
    expect(verifyMetaSignature(body, sign(body, ''), '')).toBe(false);
  });

  it('verifies every fixture body byte-for-byte', () => {
    for (const name of ['wa-text.json', 'wa-referral.json', 'leadgen-webhook-numeric-ids.json', 'graph-lead-custom-arabic.json']) {
      const bytes = fixtureBytes(name);
      expect(verifyMetaSignature(bytes, sign(bytes), SECRET)).toBe(true);
      const flipped = Buffer.from(bytes);
      flipped[flipped.length - 2] = flipped[flipped.length - 2]! ^ 1;
      expect(verifyMetaSignature(flipped, sign(bytes), SECRET)).toBe(false);
    }
  });
});

describe('verifyWebhookChallenge', () => {
  const q = (over: Record<string, unknown> = {}) => ({ 'hub.mode': 'subscribe', 'hub.verify_token': 'my-verify-token', 'hub.challenge': '1158201444', ...over });

  it('returns the challenge for mode=subscribe and the right token', () => {
    expect(verifyWebhookChallenge(q(), 'my-verify-token')).toBe('1158201444');
  });

  it('returns null for a wrong token, wrong mode or missing parameters', () => {
    expect(verifyWebhookChallenge(q({ 'hub.verify_token': 'nope' }), 'my-verify-token')).toBeNull();
    expect(verifyWebhookChallenge(q({ 'hub.verify_token': 'my-verify-token ' }), 'my-verify-token')).toBeNull();
    expect(verifyWebhookChallenge(q({ 'hub.mode': 'unsubscribe' }), 'my-verify-token')).toBeNull();
    expect(verifyWebhookChallenge(q({ 'hub.challenge': undefined }), 'my-verify-token')).toBeNull();
    expect(verifyWebhookChallenge({}, 'my-verify-token')).toBeNull();
  });

  it('returns null when no verify token is configured', () => {
    expect(verifyWebhookChallenge(q({ 'hub.verify_token': '' }), '')).toBeNull();
  });

  it('rejects repeated parameters (arrays) and a challenge that is not a plain token', () => {
    expect(verifyWebhookChallenge(q({ 'hub.verify_token': ['my-verify-token', 'x'] }), 'my-verify-token')).toBeNull();
    expect(verifyWebhookChallenge(q({ 'hub.challenge': '<script>alert(1)</script>' }), 'my-verify-token')).toBeNull();
  });
});
