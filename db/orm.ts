import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from './mikro-orm.config';

export type Orm = MikroORM;

/** `logger` replaces the ORM's own (stdout), for callers whose stdout is their output; `poolMax` is DATABASE_POOL_MAX (pg's 10 when unset). */
export async function createOrm(databaseUrl: string, options: { logger?: (message: string) => void; poolMax?: number } = {}): Promise<Orm> {
  return MikroORM.init({ ...ormConfig(databaseUrl, { poolMax: options.poolMax }), ...(options.logger && { logger: options.logger }) });
}
