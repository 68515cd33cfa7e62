import Router from '@koa/router';
import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Metrics } from '../metrics';

export function healthRoutes(deps: { orm: MikroORM; redis: Redis; temporal: Client; metrics: Metrics }) {
  const router = new Router();

  router.get('/healthz', async (ctx) => {
    const check = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
        return 'ok';
      } catch (err) {
        return `error: ${(err as Error).message}`;
      }
    };
    const checks = {
      postgres: await check(() => deps.orm.em.getConnection().execute('select 1')),
      redis: await check(() => deps.redis.ping()),
      temporal: await check(() => deps.temporal.connection.workflowService.getSystemInfo({})),
    };
    const ok = Object.values(checks).every((v) => v === 'ok');
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ok' : 'degraded', checks };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });

  return router;
}
