import { apiHost, env } from '../lib/env';
import { logger } from '../lib/logger';
import { createRedis } from '../lib/redis';
import { createOrm } from '../db/orm';
import { createTemporalClient } from '../temporal/client';
import { createPayloadEncryption } from '../temporal/codec/data-converter';
import { createApp } from './app';
import { createApiServer } from './http-server';
import { createInboundHandOn } from './webhooks/inbound-handon';
import { createMetrics } from './metrics';

const config = env();
const log = logger().child({ component: 'api' });
const orm = await createOrm(config.DATABASE_URL, { poolMax: config.DATABASE_POOL_MAX });
const redis = createRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX);
const temporal = await createTemporalClient(config, createPayloadEncryption(config, orm).dataConverter);
const metrics = createMetrics(orm);
const handOn = config.WEBHOOK_ACK === 'async' ? createInboundHandOn({ env: config, orm, temporal, logger: log, metrics }) : undefined;
const server = createApiServer(createApp({ env: config, orm, redis, temporal, logger: log, metrics, ...(handOn && { handOn }) }), config.NODE_ENV === 'production').listen(config.API_PORT, apiHost(config), () => {
  log.info({ port: config.API_PORT, host: apiHost(config) }, 'api listening');
});

// Graceful shutdown (SIGTERM from the platform on deploy): stop accepting connections, let the
// requests in flight finish (a webhook's event is stored and handed on before it is answered),
// then close. Long-lived ones (SSE streams) are cut after API_SHUTDOWN_TIMEOUT_MS; clients reconnect.
let stopping = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal, timeoutMs: config.API_SHUTDOWN_TIMEOUT_MS }, 'api draining');
  server.close(async () => {
    // Webhooks already acknowledged are handed on before the connections they need close.
    await handOn?.stop();
    await orm.close();
    redis.disconnect();
    await temporal.connection.close();
    log.info('api stopped');
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), config.API_SHUTDOWN_TIMEOUT_MS).unref();
  // Never hang: whatever still holds the process after the drain and a margin is abandoned.
  setTimeout(() => process.exit(1), config.API_SHUTDOWN_TIMEOUT_MS + 5000).unref();
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
