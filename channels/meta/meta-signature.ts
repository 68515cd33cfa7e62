import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// Meta signs every webhook POST with X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the
// raw request body, keyed with the app secret. The HMAC must be computed over the bytes as
// received: Meta escapes non-ASCII as \uXXXX and "/" as "\/", so JSON.stringify(JSON.parse(body))
// produces different bytes and a valid request would fail (or, worse, a check over re-serialised
// JSON would accept bodies that were never signed). Routes must read the raw body (koa: no
// JSON body parser ahead of this check) and parse only after it passes.

const HEADER_PREFIX = 'sha256=';
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

export function verifyMetaSignature(rawBody: Buffer, headerValue: string | undefined, appSecret: string): boolean {
  if (!appSecret) return false;
  if (typeof headerValue !== 'string') return false;
  const value = headerValue.trim();
  if (!value.toLowerCase().startsWith(HEADER_PREFIX)) return false;
  const hex = value.slice(HEADER_PREFIX.length);
  if (!HEX_SHA256.test(hex)) return false;
  const received = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // timingSafeEqual throws on different lengths; the regex already pins 32 bytes, this keeps it explicit.
  if (received.length !== expected.length) return false;
  return timingSafeEqual(received, expected);
}

/** The value Meta expects in X-Hub-Signature-256 for a body (used by tests and the fake server). */
export function computeMetaSignature(rawBody: Buffer | string, appSecret: string): string {
  return HEADER_PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/**
 * GET handshake when the webhook URL is registered: answer hub.challenge (as text/plain)
 * only for mode "subscribe" and our verify token; otherwise null (respond 403).
 * `query` is koa's ctx.query, where repeated keys arrive as arrays: those are rejected.
 */
export function verifyWebhookChallenge(query: Record<string, unknown>, verifyToken: string): string | null {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') return null;
  if (!verifyToken || !safeEqualStrings(token, verifyToken)) return null;
  // Meta sends a number; anything else is not Meta and would be reflected into our response.
  if (!/^[A-Za-z0-9_.-]{1,256}$/.test(challenge)) return null;
  return challenge;
}

function safeEqualStrings(a: string, b: string): boolean {
  // Hash first so the comparison has a fixed length and leaks neither content nor length.
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
