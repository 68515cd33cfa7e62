import type { WorkerOptions } from '@temporalio/worker';
import type { Env } from '../lib/env';

/**
 * The cap on each V8 heap of a worker process (`node --max-old-space-size`, MB), set on every
 * command that starts one (package.json, scripts/dev.ts, render.yaml, docker-compose.yml, the
 * test and bench launchers; test/unit/worker-heap-cap.test.ts keeps them in step). It applies to
 * the main thread and to the workflow thread alike. Without it V8 lets both heaps grow while the
 * machine has memory, and a worker with 1,000 open leads sat at 1.3-1.4 GB RSS; with it, about
 * 0.85 GB at the same latency (docs/scale.md, "A heap cap by default"). What must stay live is
 * bounded by the workflow cache and the activity slots, far below the cap; 512 MB made GC cost
 * a reply's p99 several seconds.
 */
export const WORKER_HEAP_MB = 768;

type TuningEnv = Pick<
  Env,
  | 'TEMPORAL_MAX_CACHED_WORKFLOWS'
  | 'TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS'
  | 'TEMPORAL_MAX_CONCURRENT_ACTIVITIES'
  | 'TEMPORAL_WORKFLOW_TASK_POLLERS'
  | 'TEMPORAL_ACTIVITY_TASK_POLLERS'
  | 'TEMPORAL_SHUTDOWN_GRACE_MS'
  | 'TEMPORAL_DEPLOYMENT_NAME'
  | 'TEMPORAL_BUILD_ID'
>;

/**
 * The worker's sizing and versioning from env. Without a cache bound the SDK sizes the sticky
 * cache from the heap limit, and a worker holding thousands of open leads grew past 3 GB (#13);
 * a lead evicted from the cache replays its (short, continued-as-new) history on its next task.
 */
export function workerTuning(env: TuningEnv): Partial<WorkerOptions> {
  return {
    maxCachedWorkflows: env.TEMPORAL_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: env.TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: env.TEMPORAL_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskPolls: env.TEMPORAL_WORKFLOW_TASK_POLLERS,
    maxConcurrentActivityTaskPolls: env.TEMPORAL_ACTIVITY_TASK_POLLERS,
    // SIGTERM: stop polling, let running activities finish this long, then cancel them.
    shutdownGraceTime: env.TEMPORAL_SHUTDOWN_GRACE_MS,
    ...(env.TEMPORAL_DEPLOYMENT_NAME && env.TEMPORAL_BUILD_ID && {
      // ADR 013: leads live for months, so they follow the current version (AUTO_UPGRADE) and
      // workflow changes stay replay-safe through patched(); pinning would keep every old
      // build's workers alive until its last lead closed.
      workerDeploymentOptions: {
        version: { deploymentName: env.TEMPORAL_DEPLOYMENT_NAME, buildId: env.TEMPORAL_BUILD_ID },
        useWorkerVersioning: true,
        defaultVersioningBehavior: 'AUTO_UPGRADE',
      },
    }),
  };
}
