import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { MikroORM } from '@mikro-orm/postgresql';
import { SessionRepository } from '../../db/session.repository';
import { AppError } from '../../lib/errors';
import { tokenHash } from '../../lib/tokens';

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

/** The web app's session cookie name (web/lib/session.server.ts): same site as the Temporal UI, so the UI's fetch carries it. */
export const WEB_SESSION_COOKIE = 'leadline_session';

/** React Router's unsigned cookie value is base64 of the JSON value (here, the session token). */
function webSessionToken(raw: string): string | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(decodeURIComponent(raw), 'base64').toString('utf8'));
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A signed-in admin: their web session (the cookie the UI's fetch carries, or `Authorization:
 * Session …`). Managers and brokers are refused: reading histories means reading every lead.
 */
export function adminSessionAuthorizer(orm: MikroORM): CodecAuthorizer {
  return async (ctx) => {
    const header = ctx.get('authorization');
    const token = header.toLowerCase().startsWith('session ') ? header.slice(8).trim() : webSessionToken(ctx.cookies.get(WEB_SESSION_COOKIE) ?? '');
    if (!token) return undefined;
    const found = await new SessionRepository(orm.em.fork()).userFor(tokenHash(token));
    if (!found) return { granted: false, status: 401, reason: 'the session has ended' };
    return found.user.role === 'admin' ? { granted: true, via: 'admin-session' } : { granted: false, status: 403, reason: 'only admins may decode payloads' };
  };
}

export function codecAuthorizers(token: string | undefined, orm: MikroORM): CodecAuthorizer[] {
  return [adminSessionAuthorizer(orm), ...(token ? [bearerTokenAuthorizer(token), codecSessionAuthorizer(token)] : [])];
}

/** 401 without (valid) credentials, 403 when decoding is not enabled or the caller lacks the right. */
export function requireCodecAccess(authorizers: CodecAuthorizer[]): Middleware {
  return async (ctx, next) => {
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
    throw new AppError('unauthorized', 401, 'The codec endpoint needs a signed-in admin, the codec token (Authorization: Bearer …) or a codec session', denied && { reason: denied.reason });
  };
}
