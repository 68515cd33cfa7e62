import { randomBytes } from 'node:crypto';
import { createOrm, type Orm } from '../db/orm';
import { DatabaseSeeder } from '../db/seeders/database.seeder';
import { dropDatabase, ensurePostgres } from '../scripts/services';

interface BenchDatabase {
  url: string;
  orm: Orm;
  /** Closes the ORM, drops the database and stops Postgres if this bench started it. */
  close(): Promise<void>;
}

/**
 * A database of its own for one bench run (a random name beside DATABASE_URL's), migrated and,
 * with `seed`, seeded: a bench never measures against, or leaves rows in, anybody's data.
 */
export async function openBenchDatabase(log: (m: string) => void, opts: { seed?: boolean } = {}): Promise<BenchDatabase> {
  const dbUrl = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/leadline');
  dbUrl.pathname = `/leadline_bench_${randomBytes(4).toString('hex')}`;
  const url = dbUrl.toString();
  const postgres = await ensurePostgres(url, log);
  const orm = await createOrm(url);
  const close = async () => {
    await orm.close();
    await dropDatabase(url).catch(() => undefined);
    await postgres.stop();
  };
  try {
    await orm.migrator.up();
    if (opts.seed) await orm.seeder.seed(DatabaseSeeder);
  } catch (err) {
    await close();
    throw err;
  }
  return { url, orm, close };
}
