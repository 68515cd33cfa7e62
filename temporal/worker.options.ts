import type { WorkerOptions } from '@temporalio/worker';
import type { Env } from '../lib/env';

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
