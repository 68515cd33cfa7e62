import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import { AuditLogRepository } from '../../db/audit-log.repository';
import { SessionRepository } from '../../db/session.repository';
import { UserRepository, type TokenPurpose } from '../../db/user.repository';
import type { UserRow } from '../../db/identity.entities';
import type { Principal } from '../../domain/access.policy';
import type { Env } from '../../lib/env';
import { AppError } from '../../lib/errors';
import type { Mailer } from '../../lib/mailer';
import { hashPassword, verifyPassword } from '../../lib/password';
import { newToken, tokenHash } from '../../lib/tokens';
import { currentEm } from '../orm';
import { createSignInLimiter } from './sign-in.limiter';

const INVITE_TTL_MS = 7 * 86_400_000;
const RESET_TTL_MS = 60 * 60_000;

export function userView(u: UserRow) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, brokerId: u.brokerId ?? null, active: u.active, invited: !u.passwordHash, timeZone: u.timeZone ?? null, workingHours: u.workingHours ?? null };
}

export type IdentityService = ReturnType<typeof createIdentityService>;

// Sign-in, sign-out, one-time links (invitation, password reset). Every outcome is audited
// by user id; e-mail addresses never go to the audit log or the logs.
export function createIdentityService(deps: { env: Env; redis: Redis; mailer: Mailer; logger: Logger }) {
  const limiter = createSignInLimiter(deps.redis, {
    perAccount: deps.env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    perAddress: deps.env.LOGIN_MAX_FAILURES_PER_ADDRESS,
    blockMinutes: deps.env.LOGIN_BLOCK_MINUTES,
  });
  const ttlMs = deps.env.SESSION_TTL_HOURS * 3_600_000;
  const users = () => new UserRepository(currentEm());
  const audit = () => new AuditLogRepository(currentEm());

  async function sendLink(user: UserRow, purpose: TokenPurpose): Promise<void> {
    const token = newToken();
    await users().issueToken(user.id, purpose, tokenHash(token), purpose === 'invite' ? INVITE_TTL_MS : RESET_TTL_MS);
    const link = `${deps.env.WEB_URL.replace(/\/$/, '')}/set-password/${token}`;
    const mail =
      purpose === 'invite'
        ? { subject: 'You are invited to Leadline', text: `Hello ${user.name},\n\nYou have been invited to Leadline. Choose your password here (the link works once, for 7 days):\n\n${link}\n` }
        : { subject: 'Reset your Leadline password', text: `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset your Leadline password. Choose a new one here (the link works once, for 1 hour):\n\n${link}\n\nIf it was not you, ignore this e-mail.\n` };
    await deps.mailer.send({ to: user.email, ...mail });
  }

  return {
    async signIn(email: string, password: string, address: string) {
      const account = email.trim().toLowerCase();
      await limiter.check(account, address);
      const user = await users().findByEmail(account);
      const ok = await verifyPassword(user?.active ? (user.passwordHash ?? null) : null, password);
      if (!user || !ok) {
        await limiter.failed(account, address);
        if (user) await audit().record({ actorId: user.id, actorRole: user.role, action: 'auth.sign_in_failed' });
        throw new AppError('invalid_credentials', 401, 'Wrong e-mail address or password');
      }
      await limiter.succeeded(account);
      const token = newToken();
      const session = await new SessionRepository(currentEm()).create(user.id, tokenHash(token), ttlMs);
      await audit().record({ actorId: user.id, actorRole: user.role, action: 'auth.sign_in' });
      return { token, expiresAt: session.expiresAt.toISOString(), user: userView(user) };
    },

    async signOut(p: Principal, sessionTokenHash: string) {
      await new SessionRepository(currentEm()).revoke(sessionTokenHash);
      await audit().record({ actorId: p.id, actorRole: p.role, action: 'auth.sign_out' });
    },

    /** Always "accepted": whether the address has an account is nobody's business. */
    async requestReset(email: string, address: string) {
      const account = email.trim().toLowerCase();
      // Shares the sign-in budget, so the reset form cannot be used to flood someone's inbox.
      await limiter.check(account, address);
      await limiter.failed(account, address);
      const user = await users().findByEmail(account);
      if (!user || !user.active || !user.passwordHash) return;
      await sendLink(user, 'reset');
      await audit().record({ actorId: user.id, actorRole: user.role, action: 'auth.reset_requested' });
    },

    async describeLink(token: string) {
      const live = await users().liveToken(tokenHash(token));
      const user = live ? await users().findById(live.userId) : null;
      if (!live || !user || !user.active) throw new AppError('link_expired', 410, 'This link has expired or was already used; ask for a new one');
      return { purpose: live.purpose, name: user.name, email: user.email };
    },

    async setPassword(token: string, password: string) {
      const repo = users();
      const live = await repo.liveToken(tokenHash(token));
      const user = live ? await repo.findById(live.userId) : null;
      if (!live || !user || !user.active || !(await repo.consumeToken(live.id))) {
        throw new AppError('link_expired', 410, 'This link has expired or was already used; ask for a new one');
      }
      await repo.update(user, { passwordHash: await hashPassword(password) });
      await repo.voidTokens(user.id);
      // A reset is what someone does when a password leaked: every open session ends.
      await new SessionRepository(currentEm()).revokeAllFor(user.id);
      await audit().record({ actorId: user.id, actorRole: user.role, action: live.purpose === 'invite' ? 'auth.invitation_accepted' : 'auth.password_reset' });
      return { email: user.email };
    },

    sendInvitation: (user: UserRow) => sendLink(user, 'invite'),
  };
}
