import { env } from '../lib/env';
import { createOrm } from './orm';

// `up` applies pending migrations; `create` writes a new one from the entity diff.
const command = process.argv[2] ?? 'up';
const orm = await createOrm(env().DATABASE_URL);
try {
  if (command === 'create') {
    const result = await orm.migrator.create(undefined, false, process.argv.includes('--initial'));
    console.log(result.fileName ? `created ${result.fileName}` : 'no changes');
  } else if (command === 'up') {
    const done = await orm.migrator.up();
    console.log(done.length ? `applied ${done.map((m) => m.name).join(', ')}` : 'database is up to date');
  } else {
    throw new Error(`unknown command ${command}: use up or create`);
  }
} finally {
  await orm.close();
}
