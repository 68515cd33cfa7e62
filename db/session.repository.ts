import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UserEntity, UserSessionEntity, type UserRow } from './identity.entities';

// Server-side sessions: the browser's cookie holds a random token, this table its SHA-256.
// A session is valid while unexpired, unrevoked and its user active, so deactivating a user
// (or signing out) takes effect on the very next request.
export class SessionRepository {
  constructor(private readonly em: EntityManager) {}

  async create(userId: string, tokenHash: string, ttlMs: number): Promise<{ id: string; expiresAt: Date }> {
    const session = this.em.create(UserSessionEntity, { id: randomUUID(), userId, tokenHash, expiresAt: new Date(Date.now() + ttlMs), revokedAt: null });
    await this.em.flush();
    return { id: session.id, expiresAt: session.expiresAt };
  }

  /** The session's user when the session is live and the user active; null otherwise. */
  async userFor(tokenHash: string): Promise<{ user: UserRow; sessionId: string; expiresAt: Date } | null> {
    const session = await this.em.findOne(UserSessionEntity, { tokenHash, revokedAt: null, expiresAt: { $gt: new Date() } });
    if (!session) return null;
    const user = await this.em.findOne(UserEntity, { id: session.userId, active: true });
    if (!user || !user.passwordHash) return null;
    return { user, sessionId: session.id, expiresAt: session.expiresAt };
  }

  async revoke(tokenHash: string): Promise<void> {
    await this.em.nativeUpdate(UserSessionEntity, { tokenHash, revokedAt: null }, { revokedAt: new Date() });
  }

  async revokeAllFor(userId: string): Promise<number> {
    return this.em.nativeUpdate(UserSessionEntity, { userId, revokedAt: null }, { revokedAt: new Date() });
  }
}
