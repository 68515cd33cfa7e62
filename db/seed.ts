import { env } from '../lib/env';
import { createOrm } from './orm';
import { DatabaseSeeder } from './seeders/database.seeder';
import { createVectorStack } from '../lib/vector/vector.factory';
import { reindexAllUnits } from '../activities/inventory/unit-index.sync';

const orm = await createOrm(env().DATABASE_URL);
try {
  await orm.seeder.seed(DatabaseSeeder);
  console.log('seed data loaded');
  // the units' vectors follow the seeded rows; if the index is unreachable the worker re-indexes at start
  await reindexAllUnits(orm.em.fork(), createVectorStack(env()))
    .then((n) => console.log(`units vector index: ${n} units`))
    .catch((err: unknown) => console.warn(`units vector index not updated: ${err instanceof Error ? err.message : String(err)}`));
} finally {
  await orm.close();
}
