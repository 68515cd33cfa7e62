import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import { repoRoot } from '../../lib/paths';
import { WORKER_HEAP_MB } from '../../temporal/worker.options';
import type { Harness } from './harness';

/**
 * A real worker process (`temporal/worker.ts`) on the harness's servers and task queue, so a
 * test can kill it with SIGKILL and start another.
 */
/** What a child process needs to work on the harness's servers: its database, Redis keys, task queue and the run's workflow bundle. */
export function harnessServersEnv(h: Harness): Record<string, string> {
  return {
    DATABASE_URL: h.env.DATABASE_URL,
    REDIS_URL: h.env.REDIS_URL,
    REDIS_KEY_PREFIX: h.env.REDIS_KEY_PREFIX,
    TEMPORAL_ADDRESS: h.env.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: h.env.TEMPORAL_TASK_QUEUE,
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
  };
}

export function startWorkerProcess(h: Harness, extraEnv: Record<string, string> = {}): ChildProcess {
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ...harnessServersEnv(h),
    // The same master keys as the harness (unset: both use the one kept under .data/).
    ...(h.env.ENCRYPTION_MASTER_KEYS && { ENCRYPTION_MASTER_KEYS: h.env.ENCRYPTION_MASTER_KEYS }),
    ...(h.env.ENCRYPTION_ACTIVE_KEY_ID && { ENCRYPTION_ACTIVE_KEY_ID: h.env.ENCRYPTION_ACTIVE_KEY_ID }),
    ...extraEnv,
  };
  return spawn(process.execPath, [`--max-old-space-size=${WORKER_HEAP_MB}`, '--import', 'tsx', path.join(repoRoot, 'temporal', 'worker.ts')], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
}
