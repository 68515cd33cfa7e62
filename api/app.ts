import Koa from 'koa';
import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Env } from '../lib/env';
import { authenticate } from './middleware/auth';
import { securityHeaders } from './middleware/security-headers';
import { createVectorStack, type VectorStack } from '../lib/vector/vector.factory';
import { errorHandler, ormContext, requestLogging } from './middleware/request-context';
import { createMetrics, type Metrics } from './metrics';
import { openApiDocument } from './openapi';
import { healthRoutes } from './routes/health.routes';
import { inventoryRoutes } from './routes/inventory.routes';
import { leadsRoutes } from './routes/leads.routes';
import { leadCommandsRoutes } from './routes/lead-commands.routes';
import { leadEventsRoutes } from './routes/lead-events.routes';
import { leadMediaRoutes } from './routes/lead-media.routes';
import { leadMemoriesRoutes } from './routes/lead-memories.routes';
import { leadUnitsRoutes } from './routes/lead-units.routes';
import { createMediaStorage } from '../lib/media.storage';
import { createChannelRegistry } from '../channels/channel.registry';
import { createLeadIntake } from '../intake/lead.intake';
import { createRedisIdempotencyStore } from '../lib/idempotency.store';
import { whatsappRoutes } from './webhooks/whatsapp.routes';
import { leadadsRoutes } from './webhooks/leadads.routes';
import { smsRoutes } from './webhooks/sms.routes';
import { agentRoutes } from './routes/agent.routes';
import { brokersRoutes } from './routes/brokers.routes';
import { analyticsRoutes } from './routes/analytics.routes';
import { authRoutes } from './routes/auth.routes';
import { usersRoutes } from './routes/users.routes';
import { preferencesRoutes } from './routes/preferences.routes';
import { createIdentityService } from './services/identity.service';
import { createMailer, type Mailer } from '../lib/mailer';
import { codecRoutes } from './routes/codec.routes';
import { contactsRoutes } from './routes/contacts.routes';
import { contactMergeRoutes } from './routes/contact-merge.routes';
import { configureClientAddress } from './middleware/client-address';
import { createRateLimit, limitPerPrincipal } from './middleware/rate-limit';
import { createWebhookEdge } from './webhooks/channel-webhook';
import { createInboundHandOn, type InboundHandOn } from './webhooks/inbound-handon';

export interface AppDeps {
  env: Env;
  orm: MikroORM;
  redis: Redis;
  temporal: Client;
  logger: Logger;
  metrics?: Metrics;
  /** Outgoing mail (invitations, resets); SMTP_URL when not given. */
  mailer?: Mailer;
  /** Vector index and embedder for inventory search; built from env when not given. */
  vectors?: VectorStack;
  /** Background hand-on of acknowledged webhooks (WEBHOOK_ACK=async); made here when not given. The owner stops it. */
  handOn?: InboundHandOn;
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  configureClientAddress(app, deps.env);
  const metrics = deps.metrics ?? createMetrics(deps.orm);
  const mailer = deps.mailer ?? createMailer(deps.env.SMTP_URL, deps.env.MAIL_FROM);
  const identity = createIdentityService({ env: deps.env, redis: deps.redis, mailer, logger: deps.logger });
  const intake = createLeadIntake({ orm: deps.orm, temporal: deps.temporal, redis: deps.redis, env: deps.env, logger: deps.logger });
  const channels = createChannelRegistry({ env: deps.env, logger: deps.logger, idempotency: (ns) => createRedisIdempotencyStore(deps.redis, ns) });
  const edge = createWebhookEdge(deps.redis, deps.env);
  const temporal = deps.temporal;
  const handOn = deps.env.WEBHOOK_ACK === 'async' ? (deps.handOn ?? createInboundHandOn({ env: deps.env, orm: deps.orm, temporal, logger: deps.logger, metrics })) : undefined;

  // A browser closing a server-sent event stream (a tab closed, a page left) is how those end,
  // not an error; anything else Koa reports past the error handler is logged as before.
  app.on('error', (err: NodeJS.ErrnoException & { status?: number; expose?: boolean }) => {
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.status === 404 || err.expose) return;
    deps.logger.error({ err }, 'unhandled request error');
  });
  app.use(securityHeaders(deps.env.NODE_ENV === 'production'));
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
  // The codec endpoint has its own check (ops token or codec session), before the broker API's.
  app.use(codecRoutes({ env: deps.env, temporal: deps.temporal, logger: deps.logger, orm: deps.orm }).routes());
  app.use(ormContext(deps.orm));
  app.use(authenticate(deps.env.API_TOKEN));
  app.use(limitPerPrincipal(createRateLimit(deps.redis, { name: 'api-user', points: deps.env.API_USER_RATE_LIMIT_PER_MINUTE, durationSeconds: 60 })));

  const routers = [
    healthRoutes({ orm: deps.orm, redis: deps.redis, temporal: deps.temporal, metrics, cacheMs: deps.env.HEALTHZ_CACHE_MS }),
    leadsRoutes({ temporal: deps.temporal, env: deps.env }),
    leadCommandsRoutes({ temporal: deps.temporal }),
    leadEventsRoutes({ orm: deps.orm, redis: deps.redis, logger: deps.logger }),
    leadMediaRoutes({ storage: createMediaStorage(deps.env) }),
    leadMemoriesRoutes(),
    leadUnitsRoutes({ temporal: deps.temporal }),
    inventoryRoutes({ vectors: deps.vectors ?? createVectorStack(deps.env), logger: deps.logger }),
    brokersRoutes(),
    analyticsRoutes(),
    authRoutes({ identity }),
    usersRoutes({ identity }),
    preferencesRoutes(),
    whatsappRoutes({ orm: deps.orm, redis: deps.redis, channels, intake, temporal, env: deps.env, metrics, edge, ...(handOn && { handOn }) }),
    leadadsRoutes({ orm: deps.orm, channels, temporal, env: deps.env, metrics, edge, ...(handOn && { handOn }) }),
    smsRoutes({ orm: deps.orm, redis: deps.redis, channels, intake, env: deps.env, metrics, edge, ...(handOn && { handOn }) }),
    agentRoutes({ orm: deps.orm, redis: deps.redis, intake, env: deps.env, logger: deps.logger, channels }),
    contactsRoutes({ orm: deps.orm, temporal, env: deps.env }),
    contactMergeRoutes(),
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
