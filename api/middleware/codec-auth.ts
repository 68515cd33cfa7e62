import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { AppError } from '../../lib/errors';

// Who may use the codec endpoint (and so read every conversation in Temporal). Each authorizer
// looks for its own kind of credential; the first that recognises the caller decides. Today:
// the CODEC_AUTH_TOKEN bearer token (CLI, scripts) and a short-lived cookie bought with that
// token (the Temporal UI, which can send cookies but no custom header). When broker sign-in
// lands, an "ops/admin session" authorizer joins the list and may answer `forbidden` for a
// signed-in broker without the role.

export type CodecAccess = { granted: true; via: string } | { granted: false; status: 401 | 403; reason: string };
/** undefined: this authorizer found no credential of its kind. */
export type CodecAuthorizer = (ctx: Context) => CodecAccess | undefined | Promise<CodecAccess | undefined>;

// Digests make the comparison constant-time whatever the lengths.
const digest = (s: string) => createHash('sha256').update(s).digest();
const sameSecret = (a: string, b: Buffer) => timingSafeEqual(digest(a), b);

export const codecTokenMatches = (token: string, presented: string) => presented.length > 0 && sameSecret(presented, digest(token));

/** `Authorization: Bearer <CODEC_AUTH_TOKEN>`. */
export function bearerTokenAuthorizer(token: string): CodecAuthorizer {
  const expected = digest(token);
  return (ctx) => {
    const header = ctx.get('authorization');
    if (!header.startsWith('Bearer ')) return undefined;
    return sameSecret(header.slice(7), expected) ? { granted: true, via: 'token' } : { granted: false, status: 401, reason: 'invalid codec token' };
  };
}

export const CODEC_SESSION_COOKIE = 'leadline_codec';
const SESSION_TTL_MS = 8 * 3600_000;

// The cookie is `<expiry ms>.<hmac>`, keyed by the token itself: rotating CODEC_AUTH_TOKEN ends
// every session, and nothing needs storing server-side.
function sessionMac(token: string, expires: string) {
  return createHmac('sha256', digest(`codec-session|${token}`)).update(expires).digest('base64url');
}

export function issueCodecSession(ctx: Context, token: string, now = Date.now()) {
  const expires = String(now + SESSION_TTL_MS);
  ctx.cookies.set(CODEC_SESSION_COOKIE, `${expires}.${sessionMac(token, expires)}`, {
    httpOnly: true,
    path: '/codec',
    maxAge: SESSION_TTL_MS,
    // Same site (UI and API on one host or domain): Lax is sent with the UI's fetch. Across
    // sites the browser only sends SameSite=None, which must be Secure.
    secure: ctx.secure,
    sameSite: ctx.secure ? 'none' : 'lax',
    overwrite: true,
  });
}

/** The cookie issueCodecSession set. */
export function codecSessionAuthorizer(token: string, now: () => number = Date.now): CodecAuthorizer {
  return (ctx) => {
    const value = ctx.cookies.get(CODEC_SESSION_COOKIE);
    if (!value) return undefined;
    const [expires = '', mac = ''] = value.split('.');
    const expected = Buffer.from(sessionMac(token, expires));
    const valid = mac.length === expected.length && timingSafeEqual(Buffer.from(mac), expected) && Number(expires) > now();
    return valid ? { granted: true, via: 'session' } : { granted: false, status: 401, reason: 'codec session expired or invalid' };
  };
}

export function codecAuthorizers(token: string | undefined): CodecAuthorizer[] {
  return token ? [bearerTokenAuthorizer(token), codecSessionAuthorizer(token)] : [];
}

/** 401 without (valid) credentials, 403 when decoding is not enabled or the caller lacks the right. */
export function requireCodecAccess(authorizers: CodecAuthorizer[]): Middleware {
  return async (ctx, next) => {
    if (authorizers.length === 0) {
      throw new AppError('forbidden', 403, 'The codec endpoint is disabled: set CODEC_AUTH_TOKEN to enable it');
    }
    let denied: Extract<CodecAccess, { granted: false }> | undefined;
    for (const authorize of authorizers) {
      const access = await authorize(ctx);
      if (access?.granted) {
        ctx.state.codecCaller = access.via;
        return next();
      }
      denied ??= access;
    }
    if (denied?.status === 403) throw new AppError('forbidden', 403, 'Not allowed to use the codec endpoint', { reason: denied.reason });
    ctx.set('WWW-Authenticate', 'Bearer');
    throw new AppError('unauthorized', 401, 'The codec endpoint needs the codec token (Authorization: Bearer …) or a codec session', denied && { reason: denied.reason });
  };
}
