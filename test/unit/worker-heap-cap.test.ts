import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths';
import { WORKER_HEAP_MB } from '../../temporal/worker.options';

// Every way a worker process starts caps its V8 heaps at WORKER_HEAP_MB (#13: the worker's RSS
// stays under 1 GB with the cache bounded). The flag lives on command lines the code cannot set,
// so this keeps them in step with the one value and its reasons in temporal/worker.options.ts.

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const flag = `--max-old-space-size=${WORKER_HEAP_MB}`;
/** The node command lines (shell form or exec-form arrays) in a text that start the worker. */
const workerCommands = (text: string) =>
  text
    .split('\n')
    .filter((line) => /(build\/app\/worker\.js|temporal\/worker\.ts)/.test(line) && /\bnode\b|"node"/.test(line))
    .map((line) => line.replace(/"\s*,\s*"/g, ' '));

describe('the worker heap cap', () => {
  it('is a value with room above what a worker keeps live and below the 1 GB target', () => {
    expect(WORKER_HEAP_MB).toBeGreaterThanOrEqual(512);
    expect(WORKER_HEAP_MB).toBeLessThan(1024);
  });

  it('is on the npm scripts that start a worker', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.worker).toContain(flag);
    expect(scripts['start:worker']).toContain(flag);
  });

  it.each(['render.yaml', 'docker-compose.yml'])('is on the worker command of %s', (file) => {
    const commands = workerCommands(read(file));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(command).toContain(flag);
  });

  it.each(['scripts/dev.ts', 'test/support/worker-process.ts', 'bench/load/stack.ts'])('is passed by the launcher in %s', (file) => {
    expect(read(file)).toMatch(/--max-old-space-size=\$\{[^}]*WORKER_HEAP_MB[^}]*\}/);
  });
});
