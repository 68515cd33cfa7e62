import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createOrm } from '../../db/orm';
import { DatabaseSeeder } from '../../db/seeders/database.seeder';
import { seedDemoUsers } from '../../db/seeders/demo-users.seeder';
import { dataDir } from '../../lib/paths';
import { bundleWorkflows } from '../../temporal/bundle-workflows';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { dropDatabase, ensurePostgres, ensureRedis, freePort, type Service } from '../../scripts/services';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    redisKeyPrefix: string;
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

// Real servers for integration and e2e tests: Postgres and Redis reused when reachable
// (started under .data/ otherwise), a fresh database per run, and a Temporal dev server of
// our own on a free port, in memory. Several runs can share one machine.
const services: Service[] = [];
let temporal: DevServer | undefined;
let databaseUrl = '';

export async function setup(project: TestProject) {
  const log = (m: string) => console.log(`[test setup] ${m}`);
  const base = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/leadline_test_${randomBytes(4).toString('hex')}`;
  databaseUrl = base.toString();
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/9';

  services.push(await ensurePostgres(databaseUrl, log));
  services.push(await ensureRedis(redisUrl, log));
  // Each run gets its own key prefix instead of flushing: parallel runs must not see each other's keys.
  const redisKeyPrefix = `leadline-test-${randomBytes(4).toString('hex')}:`;

  const orm = await createOrm(databaseUrl);
  await orm.migrator.up();
  await orm.seeder.seed(DatabaseSeeder);
  // Sara's broker stays out: routing tests expect exactly the seed brokers.
  await seedDemoUsers(orm.em.fork(), 'test', { only: ['admin@example.com', 'manager@example.com', 'james@example.com', 'priya@example.com'] });
  await orm.close();

  const port = await freePort();
  temporal = await startDevServer({ port });
  const workflowBundlePath = await bundleWorkflows(path.join(dataDir, 'test', `workflow-bundle-${process.pid}.js`));
  log(`postgres db ${base.pathname.slice(1)}, redis ${redisUrl}, temporal ${temporal.address}`);

  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('redisKeyPrefix', redisKeyPrefix);
  project.provide('temporalAddress', temporal.address);
  project.provide('workflowBundlePath', workflowBundlePath);
}

export async function teardown() {
  await temporal?.stop();
  if (databaseUrl) await dropDatabase(databaseUrl).catch(() => undefined);
  for (const s of services.reverse()) await s.stop();
}
