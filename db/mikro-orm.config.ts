import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager } from '@mikro-orm/seeder';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { AlertMailEntity } from './alert-mail.entity';
import { allEntities } from './entities';
import { identityEntities } from './identity.entities';
import { DataKeyEntity } from './data-key.entity';
import { LeadMemoryEntity } from './lead-memory.entity';
import { MediaFileEntity } from './media-file.entity';

const here = path.dirname(fileURLToPath(import.meta.url));

export function ormConfig(databaseUrl: string, options: { debug?: boolean; poolMax?: number } = {}) {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: [...allEntities, ...identityEntities, DataKeyEntity, MediaFileEntity, LeadMemoryEntity, AlertMailEntity],
    extensions: [Migrator, SeedManager],
    debug: options.debug ?? false,
    ...(options.poolMax && { pool: { max: options.poolMax } }),
    migrations: {
      path: path.join(here, 'migrations'),
      glob: '!(*.d).{js,ts}',
      transactional: true,
      snapshot: false,
    },
    seeder: { path: path.join(here, 'seeders'), defaultSeeder: 'DatabaseSeeder' },
    // Each request and activity forks its own EntityManager; a global one would leak identity maps.
    allowGlobalContext: false,
  });
}
