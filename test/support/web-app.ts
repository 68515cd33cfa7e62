import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { dataDir, repoRoot } from '../../lib/paths';
import { freePort, portOpen } from '../../scripts/services';

export interface WebApp {
  url: string;
  /** The production build it serves (its server module lists the route table). */
  buildDir: string;
  stop(): Promise<void>;
}

/** Builds the web app (production build) and serves it with its production server (web/server.ts) against `apiUrl`. */
export async function startWebApp(apiUrl: string, extraEnv: Record<string, string> = {}): Promise<WebApp> {
  const buildDir = path.join(dataDir, 'test', `web-${randomBytes(4).toString('hex')}`);
  const bin = (pkg: string, file: string) => path.join(repoRoot, 'node_modules', pkg, file);
  const build = spawnSync(process.execPath, [bin('@react-router/dev', 'bin.cjs'), 'build'], {
    cwd: repoRoot,
    env: { ...process.env, WEB_BUILD_DIR: buildDir },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`web build failed: ${build.stderr}`);
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
          rmSync(buildDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
