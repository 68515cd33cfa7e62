import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths';
import { freePort, portOpen } from '../../scripts/services';
import { postUnboundedBodies } from '../support/web-app';

// Issue 12, "body size limits on the web server too": `make dev` serves the web app with
// `react-router dev` (Vite), not web/server.ts. It bounds bodies the same way (vite.config.ts).

describe('the dev web server (react-router dev) bounds request bodies', () => {
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    child = spawn(process.execPath, [path.join(repoRoot, 'node_modules', '@react-router', 'dev', 'bin.cjs'), 'dev', '--port', String(port), '--host', '127.0.0.1', '--strictPort'], {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: 'development', API_URL: 'http://127.0.0.1:9', WEB_BODY_LIMIT_BYTES: '65536' },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 60_000;
    while (!(await portOpen('127.0.0.1', port))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error('react-router dev did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('answers 413 to a body declared over the limit without reading it, and 411 to one without a length', async () => {
    // 300 MB announced, a few bytes sent: the answer comes at once and the connection closes.
    const { oversized, chunkedStatus } = await postUnboundedBodies(url);
    expect(oversized.status).toBe(413);
    expect(JSON.parse(oversized.body)).toEqual({ error: { code: 'payload_too_large', message: 'Body exceeds 65536 bytes', details: { limit: 65536 } } });
    expect(chunkedStatus).toBe(411);
  });

  it('lets a body within the limit through to the app', async () => {
    const page = await fetch(`${url}/login`);
    expect(page.status).toBe(200);
    const small = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url }, body: 'email=a%40b.c&password=x' });
    expect([411, 413]).not.toContain(small.status);
  });
});
