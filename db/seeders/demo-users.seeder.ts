import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '../../lib/password';
import { BrokerEntity } from '../entities';
import { UserRepository } from '../user.repository';

// Demo accounts for `make dev` and the tests, all with one published password. Never in
// production: the function refuses there, and nothing but scripts/dev.ts and the test setup
// calls it.
export const DEMO_PASSWORD = 'leadline-demo';

export const DEMO_USERS = [
  { email: 'admin@example.com', name: 'Alex Admin', role: 'admin', brokerId: null },
  { email: 'manager@example.com', name: 'Morgan Manager', role: 'manager', brokerId: null },
  { email: 'james@example.com', name: 'James Okafor', role: 'broker', brokerId: 'broker-james' },
  { email: 'priya@example.com', name: 'Priya Raman', role: 'broker', brokerId: 'broker-priya' },
  { email: 'sara@example.com', name: 'Sara Nasser', role: 'broker', brokerId: 'broker-sara' },
] as const;

export async function seedDemoUsers(em: EntityManager, nodeEnv: string, options: { only?: readonly string[] } = {}): Promise<typeof DEMO_USERS[number][]> {
  if (nodeEnv === 'production') throw new Error('demo users are never seeded in production');
  const users = DEMO_USERS.filter((u) => !options.only || options.only.includes(u.email));
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const repo = new UserRepository(em);
  for (const u of users) {
    if (u.brokerId) await em.upsert(BrokerEntity, { id: u.brokerId, name: u.name, email: u.email, active: true, paused: false });
    await repo.upsert({ ...u, passwordHash });
  }
  return users;
}
