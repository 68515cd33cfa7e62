import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { inject } from 'vitest';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { createRedis } from '../../lib/redis';
import { pino, type Logger } from 'pino';
import { createApp } from '../../api/app';
import { createApiServer } from '../../api/http-server';
import { createOrm } from '../../db/orm';
import { parseEnv, type Env } from '../../lib/env';
import { createLeadWorker } from '../../temporal/worker.factory';
import { createPayloadEncryption, type PayloadEncryption } from '../../temporal/codec/data-converter';

export interface Harness {
  env: Env;
  orm: MikroORM;
  redis: Redis;
  temporal: Client;
  /** The codec the client, API and worker share (its dataConverter goes to any extra worker). */
  encryption: PayloadEncryption;
  baseUrl: string;
  logger: Logger;
  worker?: Worker;
  close(): Promise<void>;
}

let runtimeInstalled = false;

/** The machine-client token every test API runs with: tests that drive the API directly present it. */
export const TEST_API_TOKEN = 'test-machine-token-0123456789';
export const machineAuth = { authorization: `Bearer ${TEST_API_TOKEN}` };

/** The environment the API and worker see in tests: the servers from the global setup. */
export function testEnv(overrides: Record<string, string> = {}): Env {
  return parseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: inject('redisKeyPrefix'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    COALESCE_WINDOW_MS: '0',
    API_TOKEN: TEST_API_TOKEN,
    // Most tests read what a webhook did right after its answer; the async hand-on has its own tests.
    WEBHOOK_ACK: 'inline',
    ...overrides,
  });
}

/** API on a free port plus (unless `worker: false`) an in-process worker on its own task queue. */
export async function startHarness(options: { env?: Record<string, string>; worker?: boolean } = {}): Promise<Harness> {
  if (!runtimeInstalled) {
    // Keep the SDK's own logs quiet; failures still surface through test assertions.
    Runtime.install({ logger: { log: () => {}, trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } });
    runtimeInstalled = true;
  }
  const env = testEnv(options.env);
  const logger = pino({ level: env.LOG_LEVEL });
  const orm = await createOrm(env.DATABASE_URL);
  const redis = createRedis(env.REDIS_URL, env.REDIS_KEY_PREFIX);
  const encryption = createPayloadEncryption(env, orm);
  const temporal = new Client({ connection: await Connection.connect({ address: env.TEMPORAL_ADDRESS }), dataConverter: encryption.dataConverter });
  const server: Server = createApiServer(createApp({ env, orm, redis, temporal, logger }), env.NODE_ENV === 'production').listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let workerConnection: NativeConnection | undefined;
  if (options.worker !== false) {
    workerConnection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
    worker = await createLeadWorker({ env, orm, redis, logger, connection: workerConnection, dataConverter: encryption.dataConverter, encryption, workflowBundlePath: inject('workflowBundlePath') });
    running = worker.run();
  }

  return {
    env,
    orm,
    redis,
    temporal,
    encryption,
    baseUrl,
    logger,
    worker,
    async close() {
      if (worker) {
        worker.shutdown();
        await running;
        await workerConnection?.close();
      }
      await new Promise((r) => server.close(r));
      await temporal.connection.close();
      redis.disconnect();
      await orm.close();
    },
  };
}

/** Polls until `fn` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
