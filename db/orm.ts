import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from './mikro-orm.config';

export type Orm = MikroORM;

/** `logger` replaces the ORM's own (stdout), for callers whose stdout is their output. */
export async function createOrm(databaseUrl: string, options: { logger?: (message: string) => void } = {}): Promise<Orm> {
  return MikroORM.init({ ...ormConfig(databaseUrl), ...(options.logger && { logger: options.logger }) });
}
