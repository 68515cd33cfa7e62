import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter, Payload } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { createApp } from '../api/app';
import { type Orm } from '../db/orm';
import { parseEnv, type Env } from '../lib/env';
import { dataDir } from '../lib/paths';
import { createRedis } from '../lib/redis';
import { ensureRedis, freePort } from '../scripts/services';
import { bundleWorkflows } from '../temporal/bundle-workflows';
import { createPayloadEncryption } from '../temporal/codec/data-converter';
import { startDevServer } from '../temporal/dev-server';
import { createLeadWorker } from '../temporal/worker.factory';
import { startFakeMetaServer, type FakeMetaServer } from '../test/fakes/meta.server';
import { postWebhook, testWaId, waTextPayload } from '../test/support/whatsapp.payloads';
import { openBenchDatabase } from './bench-database';
import type { BenchRow } from './extraction.bench';

// What the payload codec costs on speed to lead: the same product (API, worker, real Temporal,
// Postgres, Redis, the WhatsApp client against the fake Meta server) twice in one run, one
// stack with encryption and one without, fed new leads alternately. Latency is webhook POST →
// the reply reaching "Meta". Also the codec's own per-payload cost with a warm key cache.

interface Stack {
  mode: string;
  baseUrl: string;
  close(): Promise<void>;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const ms = (n: number) => +n.toFixed(1);

async function startStack(mode: string, base: Record<string, string>, orm: Orm, dataConverter: DataConverter, bundle: string): Promise<Stack> {
  const env: Env = parseEnv({ ...base, TEMPORAL_TASK_QUEUE: `bench-${mode}-${randomUUID()}` });
  const logger = pino({ level: 'silent' });
  const redis = createRedis(env.REDIS_URL, env.REDIS_KEY_PREFIX);
  const temporal = new Client({ connection: await Connection.connect({ address: env.TEMPORAL_ADDRESS }), dataConverter });
  const server: Server = createApp({ env, orm, redis, temporal, logger }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const worker: Worker = await createLeadWorker({ env, orm, redis, logger, connection, dataConverter, workflowBundlePath: bundle });
  const running = worker.run();
  return {
    mode,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await new Promise((r) => server.close(r));
      await temporal.connection.close();
      redis.disconnect();
    },
  };
}

async function newLeadLatency(stack: Stack, meta: FakeMetaServer, secret: string): Promise<number> {
  const waId = testWaId();
  const t0 = performance.now();
  const res = await postWebhook(stack.baseUrl, waTextPayload({ waId, name: 'Bench Lead', text: 'Hi, 2 bed in Dubai Marina, up to 2.5M, cash' }), { secret });
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  const deadline = t0 + 30_000;
  while (!meta.requests.some((r) => r.method === 'POST' && (r.body as { to?: string } | undefined)?.to === waId)) {
    if (performance.now() > deadline) throw new Error(`no reply for a ${stack.mode} lead within 30 s`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return performance.now() - t0;
}

function codecMicroBench(codec: ReturnType<typeof createPayloadEncryption>['codec']) {
  const payload: Payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify({ text: 'x'.repeat(1024) })) };
  const context = { type: 'workflow' as const, namespace: 'default', workflowId: `lead-${randomUUID()}` };
  return async (rounds: number) => {
    await codec.decode(await codec.encode([payload], context)); // creates and caches the key
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) await codec.decode(await codec.encode([payload], context));
    return ((performance.now() - t0) * 1000) / rounds;
  };
}

export async function runCodecBench(opts: { leads?: number; warmup?: number } = {}): Promise<BenchRow[]> {
  const leads = opts.leads ?? Number(process.env.BENCH_CODEC_LEADS ?? 40);
  const warmup = opts.warmup ?? 3;
  const log = (m: string) => console.error(`[codec bench] ${m}`);
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/9';
  const db = await openBenchDatabase(log, { seed: true });
  const { orm } = db;
  const redis = await ensureRedis(redisUrl, log);
  const temporalServer = await startDevServer({ port: await freePort() });
  const meta = await startFakeMetaServer({ token: 'bench-token' });
  const stacks: Stack[] = [];
  try {
    const bundle = await bundleWorkflows(path.join(dataDir, 'bench', `workflow-bundle-${process.pid}.js`));
    const secret = 'bench-app-secret';
    const base = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `leadline-bench-${randomBytes(4).toString('hex')}:`,
      TEMPORAL_ADDRESS: temporalServer.address,
      COALESCE_WINDOW_MS: '0',
      WHATSAPP_APP_SECRET: secret,
      WHATSAPP_TOKEN: 'bench-token',
      META_GRAPH_URL: meta.baseUrl,
    };
    const encryption = createPayloadEncryption(parseEnv(base), orm);
    stacks.push(await startStack('plain', base, orm, {}, bundle));
    stacks.push(await startStack('encrypted', base, orm, encryption.dataConverter, bundle));

    const samples = new Map<string, number[]>(stacks.map((s) => [s.mode, []]));
    log(`${warmup} warm-up and ${leads} measured new leads per mode, alternating`);
    for (let i = 0; i < warmup + leads; i++) {
      // Alternate which mode goes first, so neither always runs right after the other.
      const order = i % 2 === 0 ? stacks : [...stacks].reverse();
      for (const stack of order) {
        const latency = await newLeadLatency(stack, meta, secret);
        if (i >= warmup) samples.get(stack.mode)!.push(latency);
      }
    }

    const rows: BenchRow[] = [];
    const stats = new Map<string, { p50: number; p99: number }>();
    for (const [mode, list] of samples) {
      list.sort((a, b) => a - b);
      const s = { p50: percentile(list, 50), p99: percentile(list, 99) };
      stats.set(mode, s);
      rows.push({ bench: 'codec: webhook → reply', mode, leads: list.length, 'p50 ms': ms(s.p50), 'p99 ms': ms(s.p99), 'max ms': ms(list[list.length - 1] ?? 0) });
    }
    const plain = stats.get('plain')!;
    const enc = stats.get('encrypted')!;
    rows.push({ bench: 'codec: webhook → reply', mode: 'encrypted / plain', 'p50 ratio': +(enc.p50 / plain.p50).toFixed(3), 'p99 ratio': +(enc.p99 / plain.p99).toFixed(3), target: 'p50 ratio < 1.10' });
    const perPayload = await codecMicroBench(encryption.codec)(2000);
    rows.push({ bench: 'codec: 1 KB payload encode+decode', mode: 'warm key cache', 'µs/payload': +perPayload.toFixed(1) });
    return rows;
  } finally {
    for (const s of stacks) await s.close().catch(() => undefined);
    await meta.close();
    await temporalServer.stop();
    await db.close();
    await redis.stop();
  }
}
