import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BrokerEntity } from './entities';
import { UserEntity, UserTokenEntity, type UserRow, type UserTokenRow } from './identity.entities';
import type { UserRole } from '../domain/access.policy';

export type TokenPurpose = 'invite' | 'reset';

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  brokerId?: string | null;
  passwordHash?: string | null;
  timeZone?: string | null;
  workingHours?: string | null;
}

// Users and their one-time links. Token values are hashed by the caller (lib/tokens.ts): the
// table holds only hashes, so a database dump lets nobody sign in or reset a password.
export class UserRepository {
  constructor(private readonly em: EntityManager) {}

  findByEmail(email: string): Promise<UserRow | null> {
    return this.em.findOne(UserEntity, { email: email.trim().toLowerCase() });
  }

  findById(id: string): Promise<UserRow | null> {
    return this.em.findOne(UserEntity, { id });
  }

  findByBroker(brokerId: string): Promise<UserRow | null> {
    return this.em.findOne(UserEntity, { brokerId });
  }

  list(): Promise<UserRow[]> {
    return this.em.find(UserEntity, {}, { orderBy: { role: 'asc', email: 'asc' } });
  }

  async create(u: NewUser): Promise<UserRow> {
    const user = this.em.create(UserEntity, {
      id: randomUUID(),
      email: u.email.trim().toLowerCase(),
      name: u.name,
      role: u.role,
      brokerId: u.brokerId ?? null,
      passwordHash: u.passwordHash ?? null,
      active: true,
      timeZone: u.timeZone ?? null,
      workingHours: u.workingHours ?? null,
    });
    await this.em.flush();
    return user;
  }

  /** Creates or updates by e-mail (the demo seeder runs on every `make dev`). */
  async upsert(u: NewUser & { passwordHash: string }): Promise<UserRow> {
    const existing = await this.findByEmail(u.email);
    if (!existing) return this.create(u);
    Object.assign(existing, { name: u.name, role: u.role, brokerId: u.brokerId ?? null, passwordHash: u.passwordHash, active: true });
    await this.em.flush();
    return existing;
  }

  async update(user: UserRow, changes: Partial<Pick<UserRow, 'name' | 'role' | 'active' | 'timeZone' | 'workingHours' | 'passwordHash' | 'brokerId' | 'emailOffers' | 'emailEscalations' | 'emailDigest'>>): Promise<UserRow> {
    Object.assign(user, changes);
    await this.em.flush();
    return user;
  }

  async createBroker(id: string, name: string): Promise<void> {
    this.em.create(BrokerEntity, { id, name, email: null, active: true, paused: false, lastRoutedAt: null });
    await this.em.flush();
  }

  async setBrokerState(brokerId: string, changes: { paused?: boolean; active?: boolean }): Promise<void> {
    await this.em.nativeUpdate(BrokerEntity, { id: brokerId }, changes);
  }

  async issueToken(userId: string, purpose: TokenPurpose, tokenHash: string, ttlMs: number): Promise<void> {
    // One live link per purpose: a new invitation or reset e-mail voids the previous one.
    await this.em.nativeUpdate(UserTokenEntity, { userId, purpose, usedAt: null }, { usedAt: new Date() });
    this.em.create(UserTokenEntity, { id: randomUUID(), userId, purpose, tokenHash, expiresAt: new Date(Date.now() + ttlMs), usedAt: null });
    await this.em.flush();
  }

  /** The live token with this hash (unused, unexpired), if any. */
  liveToken(tokenHash: string): Promise<UserTokenRow | null> {
    return this.em.findOne(UserTokenEntity, { tokenHash, usedAt: null, expiresAt: { $gt: new Date() } });
  }

  /** Marks the token used, atomically: of two concurrent uses only one gets true. */
  async consumeToken(id: string): Promise<boolean> {
    const n = await this.em.nativeUpdate(UserTokenEntity, { id, usedAt: null }, { usedAt: new Date() });
    return n === 1;
  }

  async voidTokens(userId: string): Promise<void> {
    await this.em.nativeUpdate(UserTokenEntity, { userId, usedAt: null }, { usedAt: new Date() });
  }
}
