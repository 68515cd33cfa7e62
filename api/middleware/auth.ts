import { timingSafeEqual, createHash } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { SessionRepository } from '../../db/session.repository';
import type { UserRow } from '../../db/identity.entities';
import { can, type Permission, type Principal } from '../../domain/access.policy';
import { AppError } from '../../lib/errors';
import { tokenHash } from '../../lib/tokens';
import { currentEm } from '../orm';

/** Paths open to anyone: each is protected its own way (signature, rate limit, one-time token) or public. */
const PUBLIC_PREFIXES = ['/healthz', '/metrics', '/openapi.json', '/webhooks/', '/agent/', '/auth/login', '/auth/password-reset', '/auth/password'];

const digest = (s: string) => createHash('sha256').update(s).digest();

export const MACHINE_PRINCIPAL: Principal = { id: 'api-token', role: 'system', name: 'API client', brokerId: null };

export function principalOf(user: UserRow): Principal {
  const role = user.role === 'admin' || user.role === 'manager' ? user.role : 'broker';
  return { id: user.id, role, name: user.name, brokerId: user.brokerId ?? null };
}

// Two ways in: the web app forwards its signed-in user's session (`Authorization: Session …`,
// checked against the sessions table on every request), and machine clients present API_TOKEN
// (`Authorization: Bearer …`), which acts for no person and cannot manage users. Digests make
// the token comparison constant-time whatever the lengths.
export function authenticate(apiToken: string | undefined): Middleware {
  const expected = apiToken ? digest(apiToken) : null;
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const [scheme, value] = [header.slice(0, header.indexOf(' ')).toLowerCase(), header.slice(header.indexOf(' ') + 1).trim()];
    if (scheme === 'session' && value) {
      const found = await new SessionRepository(currentEm()).userFor(tokenHash(value));
      if (found) {
        ctx.state.principal = principalOf(found.user);
        ctx.state.sessionTokenHash = tokenHash(value);
      }
    } else if (scheme === 'bearer' && value && expected && timingSafeEqual(digest(value), expected)) {
      ctx.state.principal = MACHINE_PRINCIPAL;
    }
    if (!ctx.state.principal && !PUBLIC_PREFIXES.some((p) => ctx.path === p || ctx.path.startsWith(`${p}/`) || (p.endsWith('/') && ctx.path.startsWith(p)))) {
      ctx.set('WWW-Authenticate', 'Bearer, Session');
      throw new AppError('unauthorized', 401, header ? 'The session has ended or the token is not valid; sign in again' : 'Sign in first (Authorization: Session …) or present the API token (Authorization: Bearer …)');
    }
    await next();
  };
}

export function principal(ctx: Context): Principal {
  const p = ctx.state.principal as Principal | undefined;
  if (!p) throw new AppError('unauthorized', 401, 'Sign in first');
  return p;
}

export function forbidden(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('forbidden', 403, message, details);
}

export function requirePermission(ctx: Context, permission: Permission): Principal {
  const p = principal(ctx);
  if (!can(p, permission)) throw forbidden(`Your role (${p.role}) may not do this`, { permission });
  return p;
}
