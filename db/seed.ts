import { env } from '../lib/env';
import { createOrm } from './orm';
import { DatabaseSeeder } from './seeders/database.seeder';

const orm = await createOrm(env().DATABASE_URL);
try {
  await orm.seeder.seed(DatabaseSeeder);
  console.log('seed data loaded');
} finally {
  await orm.close();
}
