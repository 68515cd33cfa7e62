import { Client } from '@temporalio/client';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createActivities } from '../activities/lead.activities';
import { createAgent } from '../activities/agent/agent.factory';
import { createDefaultChannelSender } from '../activities/channels/default-channel.sender';
import { createMetaGraphClient } from '../activities/channels/meta-graph.client';
import { createWhatsAppClient } from '../activities/channels/whatsapp.client';
import { createRedisIdempotencyStore, createWhatsAppSender } from '../activities/channels/whatsapp.sender';
import { createLeadgenActivities } from '../activities/leadgen.activities';
import { createWhatsAppIntakeActivities } from '../activities/whatsapp-intake.activities';
import { createHybridInventorySearch } from '../activities/inventory/hybrid-inventory.search';
import { createUnitIndexActivities } from '../activities/inventory/unit-index.activities';
import { createVectorStack, type VectorStack } from '../lib/vector/vector.factory';
import { LeadRepository } from '../db/lead.repository';
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
  /** Vector index and embedder for inventory search; built from env when not given. */
  vectors?: VectorStack;
}

export async function createLeadWorker(deps: LeadWorkerDeps): Promise<Worker> {
  // The worker's own connection, for activities that start or signal workflows (channel intake).
  const temporal = new Client({ connection: deps.connection, namespace: deps.env.TEMPORAL_NAMESPACE });
  const vectors = deps.vectors ?? createVectorStack(deps.env);
  const activities = {
    ...createActivities({
      orm: deps.orm,
      redis: deps.redis,
      agent: createAgent(deps.env, deps.logger),
      channels: createChannelSender(deps),
      logger: deps.logger,
      agentTurnDelayMs: deps.env.AGENT_TURN_DELAY_MS,
      env: deps.env,
      inventorySearch: (em) => createHybridInventorySearch(em, vectors, { logger: deps.logger }),
    }),
    ...createUnitIndexActivities({ orm: deps.orm, vectors, logger: deps.logger }),
    ...createLeadgenActivities({
      orm: deps.orm,
      redis: deps.redis,
      temporal,
      env: deps.env,
      logger: deps.logger,
      ...(deps.env.META_LEADS_TOKEN && {
        graph: createMetaGraphClient({ baseUrl: deps.env.META_GRAPH_URL, token: deps.env.META_LEADS_TOKEN, apiVersion: deps.env.META_API_VERSION }),
      }),
    }),
    ...createWhatsAppIntakeActivities({ orm: deps.orm, redis: deps.redis, temporal, env: deps.env, logger: deps.logger }),
  };
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

/** Web chat replies are stored; WhatsApp (and Lead Ads leads) go through the Cloud API when WHATSAPP_TOKEN is set. */
function createChannelSender(deps: LeadWorkerDeps) {
  const { env } = deps;
  const whatsapp = env.WHATSAPP_TOKEN
    ? createWhatsAppSender({
        orm: deps.orm,
        logger: deps.logger,
        client: createWhatsAppClient({
          baseUrl: env.META_GRAPH_URL,
          token: env.WHATSAPP_TOKEN,
          apiVersion: env.META_API_VERSION,
          idempotencyStore: createRedisIdempotencyStore(deps.redis),
        }),
        config: {
          ...(env.WHATSAPP_PHONE_NUMBER_ID && { defaultPhoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID }),
          ...(env.WHATSAPP_REENGAGE_TEMPLATE && { template: { name: env.WHATSAPP_REENGAGE_TEMPLATE, language: env.WHATSAPP_REENGAGE_TEMPLATE_LANGUAGE } }),
        },
      })
    : undefined;
  return createDefaultChannelSender({
    logger: deps.logger,
    ...(whatsapp && { whatsapp }),
    channelOf: (req) => new LeadRepository(deps.orm.em.fork()).channelOfLatest(req.leadId, req.inReplyTo),
  });
}
