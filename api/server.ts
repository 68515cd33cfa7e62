import { apiHost, env } from '../lib/env';
import { logger } from '../lib/logger';
import { createRedis } from '../lib/redis';
import { createOrm } from '../db/orm';
import { createTemporalClient } from '../temporal/client';
import { createPayloadEncryption } from '../temporal/codec/data-converter';
import { createApp } from './app';
import { createApiServer } from './http-server';

const config = env();
const log = logger().child({ component: 'api' });
const orm = await createOrm(config.DATABASE_URL);
const redis = createRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX);
const temporal = await createTemporalClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE, createPayloadEncryption(config, orm).dataConverter);
const server = createApiServer(createApp({ env: config, orm, redis, temporal, logger: log }), config.NODE_ENV === 'production').listen(config.API_PORT, apiHost(config), () => {
  log.info({ port: config.API_PORT, host: apiHost(config) }, 'api listening');
});

const shutdown = () => {
  server.close(async () => {
    await orm.close();
    redis.disconnect();
    await temporal.connection.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 5000).unref();
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
