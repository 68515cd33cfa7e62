import { timingSafeEqual, createHash } from 'node:crypto';
import type { Middleware } from 'koa';
import { AppError } from '../../lib/errors';

/** Paths open without the API token: each is protected its own way (signature, rate limit) or public. */
const PUBLIC_PREFIXES = ['/healthz', '/metrics', '/openapi.json', '/webhooks/', '/agent/'];

const digest = (s: string) => createHash('sha256').update(s).digest();

// The broker API serves personal data, so it wants a bearer token (API_TOKEN). Digests make
// the comparison constant-time whatever the lengths.
export function apiTokenAuth(token: string | undefined): Middleware {
  const expected = token ? digest(token) : null;
  return async (ctx, next) => {
    if (!expected || PUBLIC_PREFIXES.some((p) => ctx.path === p || ctx.path.startsWith(p))) return next();
    const header = ctx.get('authorization');
    const presented = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new AppError('unauthorized', 401, 'A valid API token is required (Authorization: Bearer …)');
    }
    await next();
  };
}
