import { getHeapStatistics } from 'node:v8';
import { DefaultLogger, GracefulShutdownPeriodExpiredError, NativeConnection, Runtime } from '@temporalio/worker';
import { env } from '../lib/env';
import { logger } from '../lib/logger';
import { createRedis } from '../lib/redis';
import { createOrm } from '../db/orm';
import { createLeadAlertMails, createLeadWorker } from './worker.factory';
import { Client } from '@temporalio/client';
import { createVectorStack } from '../lib/vector/vector.factory';
import { startUnitsReindexIfStale } from '../activities/inventory/unit-index.trigger';
import { describeConnection, temporalConnectionOptions } from './connection.options';
import { ensureSlaDigestSchedule, SLA_DIGEST_SCHEDULE_ID } from './sla-digest.schedule';

// The worker process: workflows + activities for the lead task queue.
const config = env();
const log = logger().child({ component: 'worker' });
// The SDK's own INFO lines (webpack's module report on start-up, state changes) drown the
// product's logs; warnings and errors still show, and LOG_LEVEL=debug brings the rest back.
const sdkLevel = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN';
Runtime.install({ logger: new DefaultLogger(sdkLevel) });
const orm = await createOrm(config.DATABASE_URL, { poolMax: config.DATABASE_POOL_MAX });
const redis = createRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX);
const connectionOptions = temporalConnectionOptions(config);
const connection = await NativeConnection.connect(connectionOptions);
const vectors = createVectorStack(config);
// Alert e-mails queued by handoffs go out from here; the sweep takes what a dead worker held or a
// failed attempt put off (activities/alert-mail.outbox.ts).
const alertMails = createLeadAlertMails({ env: config, orm, redis, logger: log });
alertMails.sweepEvery(30_000);
alertMails.kick();
const worker = await createLeadWorker({ env: config, orm, redis, logger: log, connection, vectors, alertMails });
// Plain payloads are enough for what this client starts: no personal data goes in them.
const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
// The daily SLA digest's schedule, at the configured hour (ADR 016). A failure here must not
// keep leads from being worked: it is logged as an error and the next start tries again.
await ensureSlaDigestSchedule(temporal, config)
  .then((outcome) => log.info({ schedule: SLA_DIGEST_SCHEDULE_ID, outcome, hour: config.SLA_DIGEST_HOUR, timeZone: config.DEFAULT_TIME_ZONE }, 'SLA digest schedule ready'))
  .catch((err: unknown) => log.error({ schedule: SLA_DIGEST_SCHEDULE_ID, err: err instanceof Error ? err.message : String(err) }, 'SLA digest schedule not set up; no digest until a worker sets it up'));
// A fresh install or a changed embedder re-indexes the units in the background, on this queue.
void startUnitsReindexIfStale({ temporal, orm, vectors, taskQueue: config.TEMPORAL_TASK_QUEUE, logger: log })
  .catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'units vector index check failed; inventory search stays structured until it succeeds'));

// Graceful shutdown: the SDK's runtime calls worker.shutdown() on SIGINT/SIGTERM: polling stops,
// running activities get TEMPORAL_SHUTDOWN_GRACE_MS to finish, then run() returns and we close.
log.info({
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  namespace: config.TEMPORAL_NAMESPACE,
  ...describeConnection(connectionOptions),
  ...(config.TEMPORAL_BUILD_ID && { deployment: config.TEMPORAL_DEPLOYMENT_NAME, buildId: config.TEMPORAL_BUILD_ID }),
  // What the process was started with (WORKER_HEAP_MB in temporal/worker.options.ts): ops see an uncapped worker here.
  heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
}, 'worker started');
let stopRequested = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (stopRequested = true));
// The same teardown can also throw from a workflow thread, where no try/catch sees it: after a
// requested stop only that known error is logged; anything else still fails the process.
process.on('uncaughtException', (err) => {
  if (stopRequested && err instanceof Error && /execution context should have been disposed/.test(err.message)) {
    log.warn({ err: err.message }, 'worker teardown failed after the drain');
    return;
  }
  log.fatal({ err: err instanceof Error ? err.message : String(err) }, 'worker crashed');
  process.exit(1);
});
try {
  await worker.run();
} catch (err) {
  // run() destroys the workflow VM contexts only after activities have drained; that teardown
  // has been seen to throw (reusable-vm destroy). After a requested stop that is not a failure
  // of the stop; a grace period that ran out, or any error without a stop, still is.
  if (!stopRequested || err instanceof GracefulShutdownPeriodExpiredError) throw err;
  log.warn({ err: err instanceof Error ? err.message : String(err) }, 'worker teardown failed after the drain');
}
// The mails being sent finish before the database closes (the rest wait in the outbox).
await alertMails.stop();
await connection.close();
await orm.close();
redis.disconnect();
log.info('worker stopped');
// Drained and closed: nothing left to wait for (the SDK's threads would only delay the exit).
process.exit(0);
