import { parseArgs } from 'node:util';
import { z } from 'zod';
import { env } from '../lib/env';
import { newToken, tokenHash } from '../lib/tokens';
import { createOrm } from '../db/orm';
import { UserRepository } from '../db/user.repository';

// The first admin of a fresh production database (no demo user exists there): creates the
// user and prints a one-time link to choose the password. Everybody else is invited from the
// Users page. Usage: npm run user:create-admin -- --email ops@example.com --name "Ops Lead"
const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
const input = z.object({ email: z.string().trim().toLowerCase().email(), name: z.string().trim().min(1).max(200) }).parse(values);
const config = env();
const orm = await createOrm(config.DATABASE_URL);
try {
  const repo = new UserRepository(orm.em.fork());
  const user = (await repo.findByEmail(input.email)) ?? (await repo.create({ ...input, role: 'admin' }));
  if (user.role !== 'admin') throw new Error(`${input.email} exists with role ${user.role}`);
  const token = newToken();
  await repo.issueToken(user.id, 'invite', tokenHash(token), 24 * 3_600_000);
  console.log(`Admin ${user.email}: choose the password within 24 hours at\n  ${config.WEB_URL.replace(/\/$/, '')}/set-password/${token}`);
} finally {
  await orm.close();
}
