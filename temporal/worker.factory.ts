import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createActivities } from '../activities/lead.activities';
import { createAgent } from '../activities/agent/agent.factory';
import { createDefaultChannelSender } from '../activities/channels/default-channel.sender';
import type { Env } from '../lib/env';
import { repoRoot } from '../lib/paths';

export const workflowsPath = path.join(repoRoot, 'workflows', 'all.workflows.ts');

export interface LeadWorkerDeps {
  env: Env;
  orm: MikroORM;
  redis: Redis;
  logger: Logger;
  connection: NativeConnection;
  /** A pre-built bundle (production, tests); without it the workflows are bundled at start. */
  workflowBundlePath?: string;
  overrides?: Partial<WorkerOptions>;
}

export async function createLeadWorker(deps: LeadWorkerDeps): Promise<Worker> {
  const activities = createActivities({
    orm: deps.orm,
    redis: deps.redis,
    agent: createAgent(deps.env, deps.logger),
    channels: createDefaultChannelSender({ logger: deps.logger }),
    logger: deps.logger,
    agentTurnDelayMs: deps.env.AGENT_TURN_DELAY_MS,
  });
  const bundlePath = deps.workflowBundlePath ?? deps.env.WORKFLOW_BUNDLE_PATH;
  return Worker.create({
    connection: deps.connection,
    namespace: deps.env.TEMPORAL_NAMESPACE,
    taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
    activities,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath }),
    ...deps.overrides,
  });
}
