import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFile, mkdir, rm } from 'node:fs/promises';
import { createOrm } from '../../db/orm';
import { DatabaseSeeder } from '../../db/seeders/database.seeder';
import { dataDir, repoRoot } from '../../lib/paths';
import { bundleWorkflows } from '../../temporal/bundle-workflows';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { WORKER_HEAP_MB } from '../../temporal/worker.options';
import { dropDatabase, ensurePostgres, ensureRedis, freePort } from '../../scripts/services';

// Everything one load run needs, started fresh so runs do not see each other: a Temporal dev
// server (in memory) on a free port, its own Postgres database and Redis prefix, Leadline's
// API and worker as real processes, and the baseline's API and worker on the same server.

export interface StackOptions {
  sinkUrl: string;
  appSecret: string;
  /** Extra environment for Leadline's API and worker (cadences, quiet hours, coalesce window). */
  env: Record<string, string>;
  workers?: number;
  apis?: number;
  /** Where Leadline's workers and APIs write a V8 CPU profile each (`--cpu-prof`), to see where a turn's CPU goes. */
  profileDir?: string;
  /** The cap on each V8 heap of Leadline's workers (`--max-old-space-size`, MB): the product's WORKER_HEAP_MB unless told; 0 runs them uncapped. */
  workerHeapMb?: number;
}

export interface Proc {
  name: string;
  child: ChildProcess;
}

export interface Stack {
  apiUrls: string[];
  bareUrl: string;
  temporalAddress: string;
  leadline: Proc[];
  bare: Proc[];
  workerPids: number[];
  barePids: number[];
  stop(): Promise<void>;
}

function spawnTs(name: string, file: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): Proc {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(repoRoot, file), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return { name, child };
}

async function waitHttp(url: string, deadlineMs = 60_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error(`${url} did not answer in time`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const waitReady = (p: Proc) =>
  new Promise<void>((resolve, reject) => {
    p.child.once('message', () => resolve());
    p.child.once('exit', (code) => reject(new Error(`${p.name} exited (${code}) before it was ready`)));
  });

export async function startStack(opts: StackOptions, log: (m: string) => void): Promise<Stack> {
  const db = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  db.pathname = `/leadline_bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = db.toString();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/10';
  const services = [await ensurePostgres(databaseUrl, log), await ensureRedis(redisUrl, log)];
  // The migrator prints each migration through the ORM's logger (stdout by default): send it to
  // the bench's own log (stderr), so `--json` stays the only thing on stdout.
  const orm = await createOrm(databaseUrl, { logger: log });
  await orm.migrator.up();
  await orm.seeder.seed(DatabaseSeeder);
  await orm.close();

  const temporal: DevServer = await startDevServer({ port: await freePort() });
  const benchDir = path.join(dataDir, 'bench');
  await mkdir(benchDir, { recursive: true });
  const leadlineBundle = await bundleWorkflows(path.join(benchDir, `workflow-bundle-${process.pid}.js`));
  const bareBundle = path.join(benchDir, `bare-bundle-${process.pid}.js`);
  await writeFile(bareBundle, await bundleBareWorkflow());
  log(`temporal ${temporal.address}, postgres ${db.pathname.slice(1)}`);
  // The run's own embedded vector index: the default (.data/vector) is the dev app's, which
  // would keep every bench lead's memories and grow with each run.
  const vectorDir = path.join(benchDir, `vector-${process.pid}-${randomBytes(4).toString('hex')}`);

  const common = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `leadline-bench-${randomBytes(4).toString('hex')}:`,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'leadline-bench',
    WORKFLOW_BUNDLE_PATH: leadlineBundle,
    API_TOKEN: randomBytes(24).toString('hex'),
    // Production refuses to start without its master keys (payload encryption).
    ENCRYPTION_MASTER_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    WHATSAPP_APP_SECRET: opts.appSecret,
    SUPPRESSION_HMAC_KEY: randomBytes(24).toString('hex'),
    WHATSAPP_TOKEN: 'bench-token',
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    META_GRAPH_URL: opts.sinkUrl,
    VECTOR_DIR: vectorDir,
    ...opts.env,
  };
  const leadline: Proc[] = [];
  const apiUrls: string[] = [];
  for (let i = 0; i < (opts.workers ?? 1); i++) leadline.push(
      spawnTs(`worker-${i}`, 'temporal/worker.ts', [], common, [
        ...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : []),
        ...((opts.workerHeapMb ?? WORKER_HEAP_MB) > 0 ? [`--max-old-space-size=${opts.workerHeapMb ?? WORKER_HEAP_MB}`] : []),
      ]),
    );
  for (let i = 0; i < (opts.apis ?? 1); i++) {
    const port = await freePort();
    leadline.push(spawnTs(`api-${i}`, 'api/server.ts', [], { ...common, API_PORT: String(port) }, opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : []));
    apiUrls.push(`http://127.0.0.1:${port}`);
  }
  for (const url of apiUrls) await waitHttp(`${url}/healthz`);

  const barePort = await freePort();
  const bareEnv = { TEMPORAL_ADDRESS: temporal.address, BARE_BUNDLE_PATH: bareBundle, SINK_URL: opts.sinkUrl, BARE_PORT: String(barePort), BARE_TASK_QUEUE: 'bare-bench' };
  const bareProcs = [spawnTs('bare-worker', 'bench/load/bare.process.ts', ['worker'], bareEnv), spawnTs('bare-api', 'bench/load/bare.process.ts', ['api'], bareEnv)];
  await Promise.all(bareProcs.map(waitReady));
  // Leadline's worker logs nothing when it polls: give it the same warm-up the bare one had.
  await new Promise((r) => setTimeout(r, 3000));

  const all = [...leadline, ...bareProcs];
  return {
    apiUrls,
    bareUrl: `http://127.0.0.1:${barePort}`,
    temporalAddress: temporal.address,
    leadline,
    bare: bareProcs,
    barePids: [bareProcs[0]!.child.pid!],
    workerPids: leadline.filter((p) => p.name.startsWith('worker')).map((p) => p.child.pid!),
    async stop() {
      await Promise.all(
        all.map(
          (p) =>
            new Promise<void>((resolve) => {
              if (p.child.exitCode !== null) return resolve();
              p.child.once('exit', () => resolve());
              p.child.kill('SIGTERM');
              setTimeout(() => p.child.kill('SIGKILL'), 10_000).unref();
            }),
        ),
      );
      await temporal.stop();
      await dropDatabase(databaseUrl).catch(() => undefined);
      await rm(vectorDir, { recursive: true, force: true });
      for (const s of services.reverse()) await s.stop();
    },
  };
}

/** Resident memory (bytes) and CPU seconds used so far by a process, from /proc. */
export function procStats(pid: number): { rss: number; cpuSeconds: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rss: rssKb * 1024, cpuSeconds: ticks / 100 };
  } catch {
    return undefined;
  }
}

/** The processes' resident memory, summed (bytes). */
export const totalRss = (pids: readonly number[]): number => pids.reduce((s, pid) => s + (procStats(pid)?.rss ?? 0), 0);

/** Starts metering the processes' CPU: the function returned gives their CPU seconds per wall second over `seconds` since then (two decimals). */
export function cpuMeter(pids: readonly number[]): (seconds: number) => number {
  const start = pids.map((pid) => procStats(pid)?.cpuSeconds ?? 0);
  return (seconds) => Math.round((pids.reduce((s, pid, i) => s + (procStats(pid)?.cpuSeconds ?? 0) - start[i]!, 0) / seconds) * 100) / 100;
}

/** The baseline's workflow bundle (bare.workflow.ts), built quietly: its code. */
export async function bundleBareWorkflow(): Promise<string> {
  const quiet = { log: () => {}, info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, trace: () => {} };
  return (await bundleWorkflowCode({ workflowsPath: path.join(repoRoot, 'bench', 'load', 'bare.workflow.ts'), logger: quiet })).code;
}
