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
    // Side by side: under load the slowest check, not their sum, is what a load balancer waits for.
    const [postgres, redis, temporal] = await Promise.all([
      check(() => deps.orm.em.getConnection().execute('select 1')),
      check(() => deps.redis.ping()),
      check(() => deps.temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const checks = { postgres, redis, temporal };
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
