import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { dataDir, repoRoot } from '../../lib/paths';
import { freePort, portOpen } from '../../scripts/services';
import { buildWebApp } from './web-build.setup';

export interface WebApp {
  url: string;
  /** The production build it serves (its server module lists the route table). */
  buildDir: string;
  stop(): Promise<void>;
}

/** Serves the web app's production build with its production server (web/server.ts) against
 *  `apiUrl`: the run's build when the e2e setup made one, else a build of its own. */
export async function startWebApp(apiUrl: string, extraEnv: Record<string, string> = {}): Promise<WebApp> {
  const shared = inject('webBuildDir');
  const buildDir = shared ?? path.join(dataDir, 'test', `web-${randomBytes(4).toString('hex')}`);
  if (!shared) buildWebApp(buildDir);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'web', 'server.ts'), path.join(buildDir, 'server', 'index.js')], {
    cwd: repoRoot,
    // Production mode over plain http on 127.0.0.1: Chromium treats that as a secure context, so Secure cookies work.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', API_URL: apiUrl, NODE_ENV: 'production', ...extraEnv },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 30_000;
  while (!(await portOpen('127.0.0.1', port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('web app did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    buildDir,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          // the run's shared build goes with the run (web-build.setup.ts)
          if (!shared) rmSync(buildDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The two bodies a web server must refuse before reading them (#12), posted to its /chat: one
 * announcing 300 MB that sends a few bytes (answered at once, the connection closed) and one
 * without a length (chunked). Returns what each got back.
 */
export async function postUnboundedBodies(webUrl: string): Promise<{ oversized: { status: number; body: string }; chunkedStatus: number }> {
  const oversized = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(300 * 1024 * 1024), origin: webUrl };
    const req = request(`${webUrl}/chat`, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write('name=x');
  });
  const chunked = await fetch(`${webUrl}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: webUrl },
    body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('name=x')), c.close()) }),
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  return { oversized, chunkedStatus: chunked.status };
}
