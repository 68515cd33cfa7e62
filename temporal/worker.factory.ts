import { Client } from '@temporalio/client';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createActivities } from '../activities/lead.activities';
import { createAgent } from '../activities/agent/agent.factory';
import { createLeadgenActivities } from '../activities/leadgen.activities';
import { createInboundEventActivities } from '../activities/inbound-event.activities';
import { failDataErrorsAtOnce } from '../activities/data-error.guard';
import { createMediaActivities } from '../activities/media.activities';
import { createReferralActivities } from '../activities/referral.activities';
import { createWhatsAppMediaClient } from '../channels/whatsapp/whatsapp-media.client';
import { createMediaStorage } from '../lib/media.storage';
import type { DataConverter } from '@temporalio/common';
import { createChannelRegistry, type ChannelRegistry } from '../channels/channel.registry';
import { createLeadAdsGraphClient } from '../channels/leadads/leadads.channel';
import { createReplyRouter, type ReplyRouter } from '../channels/reply.router';
import { ChannelRepository } from '../db/channel.repository';
import { createHybridInventorySearch } from '../activities/inventory/hybrid-inventory.search';
import { createUnitIndexActivities } from '../activities/inventory/unit-index.activities';
import { createVectorStack, type VectorStack } from '../lib/vector/vector.factory';
import { suppressionKey, type Env } from '../lib/env';
import { suppressionHashes } from '../lib/suppression';
import { SuppressionRepository } from '../db/suppression.repository';
import { createRedisIdempotencyStore } from '../lib/idempotency.store';
import { repoRoot } from '../lib/paths';
import { createPayloadEncryption, type PayloadEncryption } from './codec/data-converter';
import { createErasureActivities } from '../activities/erasure.activities';
import { workerTuning } from './worker.options';
import { workflowBundlerOptions } from './workflow-bundle.options';
import { createSlaDigestActivities } from '../activities/sla-digest.activities';
import { createMailer, type Mailer } from '../lib/mailer';
import { createAlertMailOutbox, type AlertMailOutbox } from '../activities/alert-mail.outbox';
import { createAlertMailSender } from '../activities/alert-mail';
import { settleLeadPriority } from './lead-priority';

export const workflowsPath = path.join(repoRoot, 'workflows', 'all.workflows.ts');

export interface LeadWorkerDeps {
  env: Env;
  orm: MikroORM;
  redis: Redis;
  logger: Logger;
  connection: NativeConnection;
  /** Payload encryption shared with the process's other clients; one is made from env and orm when omitted. */
  dataConverter?: DataConverter;
  /** The process's payload encryption (its key cache is what erasure evicts); made from env and orm when omitted. */
  encryption?: PayloadEncryption;
  /** A pre-built bundle (production, tests); without it the workflows are bundled at start. */
  workflowBundlePath?: string;
  overrides?: Partial<WorkerOptions>;
  /** Vector index and embedder for inventory search; built from env when not given. */
  vectors?: VectorStack;
  /**
   * Sends the alert e-mails the handoff step queues; one is made from env when omitted (kicked
   * by each queued mail, never swept). The worker process passes its own, to sweep and to stop.
   */
  alertMails?: AlertMailOutbox;
}

export async function createLeadWorker(deps: LeadWorkerDeps): Promise<Worker> {
  const encryption = deps.encryption ?? createPayloadEncryption(deps.env, deps.orm);
  const dataConverter = deps.dataConverter ?? encryption.dataConverter;
  // The worker's own connection, for activities that start or signal workflows (channel intake).
  const temporal = new Client({ connection: deps.connection, namespace: deps.env.TEMPORAL_NAMESPACE, dataConverter });
  const channels = createChannels(deps);
  const vectors = deps.vectors ?? createVectorStack(deps.env);
  // One SMTP transport for the alert mails and the daily digest.
  const mailer = createMailer(deps.env.SMTP_URL, deps.env.MAIL_FROM);
  const alertMails = deps.alertMails ?? createLeadAlertMails(deps, mailer);
  const activities = failDataErrorsAtOnce({
    ...createActivities({
      orm: deps.orm,
      redis: deps.redis,
      agent: createAgent(deps.env, deps.logger),
      channels: createReplies(deps, channels),
      logger: deps.logger,
      agentTurnDelayMs: deps.env.AGENT_TURN_DELAY_MS,
      env: deps.env,
      inventorySearch: (em) => createHybridInventorySearch(em, vectors, { logger: deps.logger }),
      vectors,
      mailQueued: () => alertMails.kick(),
      settlePriority: (workflow) => settleLeadPriority(temporal, workflow),
    }),
    ...createSlaDigestActivities({ orm: deps.orm, mailer, logger: deps.logger, env: deps.env }),
    ...createUnitIndexActivities({ orm: deps.orm, vectors, logger: deps.logger }),
    ...createLeadgenActivities({
      orm: deps.orm,
      redis: deps.redis,
      temporal,
      env: deps.env,
      logger: deps.logger,
      ...(deps.env.META_LEADS_TOKEN && { graph: createLeadAdsGraphClient(deps.env) }),
    }),
    ...createMediaActivities({
      orm: deps.orm,
      redis: deps.redis,
      logger: deps.logger,
      storage: createMediaStorage(deps.env),
      ...(deps.env.WHATSAPP_TOKEN && {
        whatsapp: createWhatsAppMediaClient({ baseUrl: deps.env.META_GRAPH_URL, token: deps.env.WHATSAPP_TOKEN, apiVersion: deps.env.META_API_VERSION, maxBytes: deps.env.MEDIA_MAX_BYTES }),
      }),
    }),
    ...createReferralActivities({ orm: deps.orm, redis: deps.redis, temporal, env: deps.env, logger: deps.logger }),
    ...createInboundEventActivities({
      orm: deps.orm,
      redis: deps.redis,
      temporal,
      env: deps.env,
      logger: deps.logger,
      channels: { whatsapp: channels.whatsapp.inbound!, sms: channels.sms.inbound!, leadads: channels.leadads.inbound!, smsProviderHandlesOptOut: channels.sms.rules.providerHandlesOptOut },
    }),
    ...createErasureActivities({ orm: deps.orm, redis: deps.redis, temporal, env: deps.env, logger: deps.logger, destroyLeadKey: (leadId) => encryption.destroyLeadKey(leadId), vectors }),
  });
  const bundlePath = deps.workflowBundlePath ?? deps.env.WORKFLOW_BUNDLE_PATH;
  return Worker.create({
    connection: deps.connection,
    namespace: deps.env.TEMPORAL_NAMESPACE,
    taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
    dataConverter,
    activities,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath, bundlerOptions: workflowBundlerOptions() }),
    ...workerTuning(deps.env),
    ...deps.overrides,
  });
}

/** Every channel from the configuration; senders remember their idempotency keys in Redis, shared by all workers. */
export function createChannels(deps: Pick<LeadWorkerDeps, 'env' | 'redis' | 'logger'>): ChannelRegistry {
  return createChannelRegistry({ env: deps.env, logger: deps.logger, idempotency: (ns) => createRedisIdempotencyStore(deps.redis, ns) });
}

/** The reply router the deliver activity uses: one database read per reply, then the chosen channel's sender. */
export function createReplies(deps: Pick<LeadWorkerDeps, 'env' | 'redis' | 'logger' | 'orm'>, channels: ChannelRegistry = createChannels(deps)): ReplyRouter {
  const key = suppressionKey(deps.env);
  return createReplyRouter({
    registry: channels,
    logger: deps.logger,
    loadContext: async (leadId, inReplyTo) => {
      const context = await new ChannelRepository(deps.orm.em.fork()).replyContext(leadId, inReplyTo);
      if (!context || context.optOut) return context;
      // An erased person's opt-out outlives them as a suppression entry: consulted before every send.
      const hashes = suppressionHashes(key, context.recipient).map((h) => h.hash);
      if (!(await new SuppressionRepository(deps.orm.em.fork()).anyOf(hashes))) return context;
      return { ...context, optOut: { at: new Date().toISOString(), messageId: null, reenabled: [] } };
    },
  });
}

/** The alert e-mails' outbox for a worker: the lead's handoff events queue, this sends. */
export function createLeadAlertMails(deps: Pick<LeadWorkerDeps, 'env' | 'orm' | 'redis' | 'logger'>, mailer?: Mailer): AlertMailOutbox {
  const send = createAlertMailSender({ orm: deps.orm, logger: deps.logger, webUrl: deps.env.WEB_URL, mailer: mailer ?? createMailer(deps.env.SMTP_URL, deps.env.MAIL_FROM) });
  return createAlertMailOutbox({ orm: deps.orm, redis: deps.redis, logger: deps.logger, send });
}
