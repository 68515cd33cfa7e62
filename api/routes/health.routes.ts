import Router from '@koa/router';
import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Metrics } from '../metrics';
import { createHealthProbe } from '../services/health-probe.service';

/** A dependency that has not answered in this long is reported as failing, not waited on. */
const HEALTH_CHECK_TIMEOUT_MS = 3000;

export function healthRoutes(deps: { orm: MikroORM; redis: Redis; temporal: Client; metrics: Metrics; cacheMs: number }) {
  const router = new Router();

  // Postgres, Redis and Temporal side by side, at most once per HEALTHZ_CACHE_MS: under a burst
  // the answer must not queue behind the burst's own calls to them (#13).
  const probe = createHealthProbe(
    {
      postgres: () => deps.orm.em.getConnection().execute('select 1'),
      redis: () => deps.redis.ping(),
      temporal: () => deps.temporal.connection.workflowService.getSystemInfo({}),
    },
    { freshMs: deps.cacheMs, staleMs: deps.cacheMs * 10, timeoutMs: HEALTH_CHECK_TIMEOUT_MS },
  );

  router.get('/healthz', async (ctx) => {
    const report = await probe.report();
    ctx.status = report.status === 'ok' ? 200 : 503;
    ctx.body = report;
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });

  return router;
}
