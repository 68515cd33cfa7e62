import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { dataDir } from '../../lib/paths';
import { ensurePostgres, ensureRedis, freePort, type Service } from '../../scripts/services';

// `make dev` and the tests reuse Postgres and Redis when they answer, and start their own
// under .data/ when nothing listens at the configured URL. This exercises the second path.
describe('local service fallback', () => {
  const started: Service[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('starts an embedded Postgres, creates the database, and keeps its data across restarts', async () => {
    const port = await freePort();
    dirs.push(path.join(dataDir, `postgres-${port}`));
    const url = `postgres://postgres@127.0.0.1:${port}/leadline_fallback`;
    const first = await ensurePostgres(url, () => {});
    started.push(first);
    expect(first.started).toBe(true);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('create table kept (v text)');
    await client.query(`insert into kept values ('still here')`);
    await client.end();
    await first.stop();
    started.pop();

    const second = await ensurePostgres(url, () => {});
    started.push(second);
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    expect((await again.query('select v from kept')).rows).toEqual([{ v: 'still here' }]);
    await again.end();
  });

  it('reuses a Postgres that already answers instead of starting one', async () => {
    const reused = await ensurePostgres(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', () => {});
    expect(reused.started).toBe(false);
  });

  it('starts a local Redis when none answers at the URL', async () => {
    const port = await freePort();
    dirs.push(path.join(dataDir, `redis-${port}`));
    const service = await ensureRedis(`redis://127.0.0.1:${port}/0`, () => {});
    started.push(service);
    expect(service.started).toBe(true);
    const client = new Redis(`redis://127.0.0.1:${port}/0`);
    await client.set('k', 'v');
    expect(await client.get('k')).toBe('v');
    client.disconnect();
  });
});
