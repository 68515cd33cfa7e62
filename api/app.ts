import Koa from 'koa';
import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Env } from '../lib/env';
import { createVectorStack, type VectorStack } from '../lib/vector/vector.factory';
import { apiTokenAuth } from './middleware/auth';
import { errorHandler, ormContext, requestLogging } from './middleware/request-context';
import { createMetrics, type Metrics } from './metrics';
import { openApiDocument } from './openapi';
import { healthRoutes } from './routes/health.routes';
import { inventoryRoutes } from './routes/inventory.routes';
import { leadsRoutes } from './routes/leads.routes';
import { createLeadIntake } from './services/lead-intake.service';
import { whatsappRoutes } from './webhooks/whatsapp.routes';
import { leadadsRoutes } from './webhooks/leadads.routes';
import { agentRoutes } from './routes/agent.routes';
import { brokersRoutes } from './routes/brokers.routes';

export interface AppDeps {
  env: Env;
  orm: MikroORM;
  redis: Redis;
  temporal: Client;
  logger: Logger;
  metrics?: Metrics;
  /** Vector index and embedder for inventory search; built from env when not given. */
  vectors?: VectorStack;
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: deps.env.TRUST_PROXY });
  const metrics = deps.metrics ?? createMetrics();
  const intake = createLeadIntake({ orm: deps.orm, temporal: deps.temporal, redis: deps.redis, env: deps.env, logger: deps.logger });

  app.use(requestLogging(deps.logger));
  app.use(async (ctx, next) => {
    const end = metrics.httpDuration.startTimer({ method: ctx.method });
    try {
      await next();
    } finally {
      end({ route: (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched', status: String(ctx.status) });
    }
  });
  app.use(errorHandler());
  app.use(apiTokenAuth(deps.env.API_TOKEN));
  app.use(ormContext(deps.orm));

  const routers = [
    healthRoutes({ orm: deps.orm, redis: deps.redis, temporal: deps.temporal, metrics }),
    leadsRoutes({ temporal: deps.temporal, env: deps.env }),
    inventoryRoutes({ vectors: deps.vectors ?? createVectorStack(deps.env), logger: deps.logger }),
    brokersRoutes(),
    whatsappRoutes({ orm: deps.orm, intake, temporal: deps.temporal, env: deps.env, logger: deps.logger, metrics }),
    leadadsRoutes({ orm: deps.orm, temporal: deps.temporal, env: deps.env, logger: deps.logger, metrics }),
    agentRoutes({ orm: deps.orm, redis: deps.redis, intake, env: deps.env, logger: deps.logger }),
  ];
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  app.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/openapi.json') {
      ctx.body = openApiDocument();
      return;
    }
    await next();
  });
  return app;
}
