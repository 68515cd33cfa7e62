import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../lib/paths';

/**
 * The production build's processes (scripts/build.ts), built once into a folder of the test's
 * own (the web app and workflow bundle are left out: tests have their bundle from the setup).
 */
export async function buildCompiledProcesses(name: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = path.join(repoRoot, 'build', `${name}-${process.pid}`);
  await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'build.ts'), '--skip-web', '--skip-workflows', '--outdir', dir], { cwd: repoRoot });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface CompiledProcess {
  child: ChildProcess;
  /** Everything it wrote so far (JSON log lines, or a start-up error). */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/** Runs build output with plain `node`: no tsx loader, so TypeScript at run time would fail. */
export function startCompiledProcess(file: string, env: Record<string, string>, args: string[] = []): CompiledProcess {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => ['PATH', 'HOME', 'TMPDIR', 'LANG'].includes(k)));
  const child = spawn(process.execPath, ['--enable-source-maps', file, ...args], { cwd: repoRoot, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => out, exited };
}
