import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import { env } from '../lib/env';
import { dataDir, repoRoot } from '../lib/paths';
import { createOrm } from '../db/orm';
import { DatabaseSeeder } from '../db/seeders/database.seeder';
import { DEMO_PASSWORD, seedDemoUsers } from '../db/seeders/demo-users.seeder';
import { MailDev } from 'maildev';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { WORKER_HEAP_MB } from '../temporal/worker.options';
import { ensurePostgres, ensureRedis, portOpen, type Service } from './services';

// `make dev`: the whole product on embedded defaults. Reuses Postgres, Redis and a Temporal
// server that already answer; starts the missing ones with their data under .data/, so a
// second run keeps everything. Ctrl-C stops what this started.
const config = env();
const say = (m: string) => console.log(`\x1b[36m[dev]\x1b[0m ${m}`);
const services: Service[] = [];
const children: ChildProcess[] = [];
let temporal: DevServer | undefined;
let stopping = false;

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 8000).unref();
        }),
    ),
  );
  await temporal?.stop();
  for (const s of services.reverse()) await s.stop().catch(() => undefined);
  say('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

function run(name: string, color: number, args: string[], extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `\x1b[${color}m[${name}]\x1b[0m `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(prefix + line));
  }
  child.on('exit', (code) => {
    if (!stopping) {
      say(`${name} exited with ${code}; stopping everything`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

// Without CODEC_AUTH_TOKEN, dev gets a generated one kept under .data/, so the codec works out of the box.
const DEV_CODEC_TOKEN_FILE = path.join(dataDir, 'encryption', 'codec-token');
function devCodecToken(): string {
  if (!existsSync(DEV_CODEC_TOKEN_FILE)) {
    mkdirSync(path.dirname(DEV_CODEC_TOKEN_FILE), { recursive: true, mode: 0o700 });
    writeFileSync(DEV_CODEC_TOKEN_FILE, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  return readFileSync(DEV_CODEC_TOKEN_FILE, 'utf8').trim();
}

try {
  services.push(await ensurePostgres(config.DATABASE_URL, say));
  services.push(await ensureRedis(config.REDIS_URL, say));
  const orm = await createOrm(config.DATABASE_URL);
  const applied = await orm.migrator.up();
  if (applied.length) say(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
  await orm.seeder.seed(DatabaseSeeder);
  const demoUsers = await seedDemoUsers(orm.em.fork(), config.NODE_ENV);
  await orm.close();
  say('database migrated and seeded (inventory, brokers, demo users)');

  // Invitation and reset e-mails go to a local SMTP server with a web inbox (SMTP_URL points at it).
  const smtp = new URL(config.SMTP_URL);
  const mailWebPort = Number(process.env.MAILDEV_WEB_PORT ?? 1080);
  let maildev: MailDev | undefined;
  if (smtp.hostname === '127.0.0.1' || smtp.hostname === 'localhost') {
    if (await portOpen(smtp.hostname, Number(smtp.port || 25))) {
      say(`reusing the SMTP server at ${smtp.host}`);
    } else {
      maildev = new MailDev({ smtp: Number(smtp.port || 25), web: mailWebPort, ip: '127.0.0.1', webIp: '127.0.0.1', silent: true, mailDirectory: path.join(dataDir, 'maildev') });
      await maildev.start();
      const started = maildev;
      services.push({ name: 'maildev', started: true, stop: () => started.stop() });
      say(`maildev started: SMTP ${smtp.host}, inbox http://127.0.0.1:${mailWebPort}`);
    }
  }

  const codecToken = config.CODEC_AUTH_TOKEN ?? devCodecToken();
  const [host, port] = config.TEMPORAL_ADDRESS.split(':');
  // Payloads are encrypted: the UI shows them through the API's codec endpoint, to whoever holds
  // a codec session (README, "Reading encrypted histories").
  const uiCodecEndpoint = `${config.API_URL}/codec`;
  if (await portOpen(host ?? '127.0.0.1', Number(port))) {
    say(`reusing the Temporal server at ${config.TEMPORAL_ADDRESS} (its UI decodes payloads only if started with --ui-codec-endpoint ${uiCodecEndpoint})`);
  } else {
    const uiPort = Number(new URL(config.TEMPORAL_UI_URL).port || 8233);
    temporal = await startDevServer({ port: Number(port), uiPort, uiCodecEndpoint, dbFile: path.join(dataDir, 'temporal', 'dev.db') });
    say(`Temporal dev server started (history kept in .data/temporal, UI codec ${uiCodecEndpoint})`);
  }

  const tsx = ['--import', 'tsx'];
  run('worker', 33, [`--max-old-space-size=${WORKER_HEAP_MB}`, ...tsx, 'temporal/worker.ts']);
  run('api', 32, [...tsx, 'api/server.ts'], { CODEC_AUTH_TOKEN: codecToken });
  run('web', 35, [path.join(repoRoot, 'node_modules', '@react-router', 'dev', 'bin.cjs'), 'dev', '--port', String(config.WEB_PORT), '--host', '127.0.0.1', '--strictPort'], {
    API_URL: config.API_URL,
  });

  const apiUp = async () => portOpen('127.0.0.1', config.API_PORT);
  const webUp = async () => portOpen('127.0.0.1', config.WEB_PORT);
  // The worker is ready once it polls its task queue (it bundles the workflows first).
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const workerUp = async () => {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: { name: config.TEMPORAL_TASK_QUEUE },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    return (pollers?.length ?? 0) > 0;
  };
  const deadline = Date.now() + 180_000;
  while (!((await apiUp()) && (await webUp()) && (await workerUp()))) {
    if (Date.now() > deadline || stopping) throw new Error('the worker, API or web app did not start in time');
    await new Promise((r) => setTimeout(r, 300));
  }
  await connection.close();
  console.log(`
  Leadline is running (Ctrl-C stops it):
    Web app (inbox, leads)   http://127.0.0.1:${config.WEB_PORT}   (sign in below)
    Mail inbox (maildev)     ${maildev ? `http://127.0.0.1:${mailWebPort}` : `(SMTP at ${config.SMTP_URL})`}
    API                      ${config.API_URL}   (try ${config.API_URL}/healthz, /leads, /openapi.json)
    Temporal Web UI          ${config.TEMPORAL_UI_URL}   (payloads are encrypted: to read them, start a session at
                             ${uiCodecEndpoint}/session with ${config.CODEC_AUTH_TOKEN ? 'CODEC_AUTH_TOKEN' : `the token in ${path.relative(repoRoot, DEV_CODEC_TOKEN_FILE)}`})
    Temporal gRPC            ${config.TEMPORAL_ADDRESS}
    Postgres / Redis         ${new URL(config.DATABASE_URL).host} / ${new URL(config.REDIS_URL).host}

  Demo users (password ${DEMO_PASSWORD}):
${demoUsers.map((u) => `    ${u.email.padEnd(24)} ${u.role}${u.brokerId ? ` (${u.brokerId})` : ''}`).join('\n')}
`);
} catch (err) {
  console.error(err);
  await shutdown(1);
}
