import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AuditLogRepository } from '../db/audit-log.repository';
import { ErasureRepository, type Detached } from '../db/erasure.repository';
import { LEAD_SIGNALS } from '../domain/lead-message-names.contract';
import { suppressionKey, type Env } from '../lib/env';
import { suppressionHashes } from '../lib/suppression';
import { erasureWorkflowId, type ErasureInput } from '../domain/erasure.types';
import type { VectorStack } from '../lib/vector/vector.factory';
import { forgetLeadMemories } from './memory/lead-memory.recall';

// The side effects of erasing a person (data rights, #12), run in order by the erasure workflow
// (workflows/contact-erasure.workflow.ts). Inputs and results are ids only: the erasure
// workflow's own history must hold nothing of the person it erases.

export interface ErasureActivityDeps {
  orm: MikroORM;
  redis: Redis;
  temporal: Client;
  env: Env;
  logger: Logger;
  /** Crypto-shredding: wipes the lead's data keys (and evicts this process's cached copy). */
  destroyLeadKey(leadId: string): Promise<number>;
  /** How long a lead workflow may take to erase its state and end before it is terminated. */
  workflowEndTimeoutMs?: number;
  /** The vector index that holds the leads' memory embeddings. */
  vectors?: VectorStack;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createErasureActivities(deps: ErasureActivityDeps) {
  const repo = () => new ErasureRepository(deps.orm.em.fork());
  const key = suppressionKey(deps.env);
  const prefix = deps.env.REDIS_KEY_PREFIX;

  /** Deletes keys by name (ioredis adds the prefix) and every key whose name holds one of `ids`. */
  async function deleteRedisKeys(names: string[], ids: string[]): Promise<number> {
    let deleted = names.length > 0 ? await deps.redis.del(...names) : 0;
    if (ids.length === 0) return deleted;
    let cursor = '0';
    do {
      // SCAN's pattern is not prefixed by ioredis; the keys it returns carry the prefix.
      const [next, keys] = await deps.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      const hits = keys.filter((k) => ids.some((id) => k.includes(id))).map((k) => k.slice(prefix.length));
      if (hits.length > 0) deleted += await deps.redis.del(...hits);
    } while (cursor !== '0');
    return deleted;
  }

  return {
    /** Retention: the lead workflow asks for its own erasure (this lead; the contact with its last live lead). */
    async requestErasure(input: { leadId: string; reason: 'retention' }): Promise<{ started: boolean }> {
      const contactId = await repo().contactOf(input.leadId);
      if (!contactId) return { started: false };
      const args: ErasureInput = { contactId, leadIds: [input.leadId], reason: input.reason, actor: { id: 'retention', role: 'system' } };
      try {
        await deps.temporal.workflow.start('contactErasureWorkflow', {
          workflowId: erasureWorkflowId.lead(input.leadId),
          taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
          args: [args],
          workflowIdConflictPolicy: 'USE_EXISTING',
          staticSummary: 'Erasure (retention)',
        });
        return { started: true };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { started: false };
        throw err;
      }
    },

    async detachForErasure(input: { contactId: string; leadIds: string[] | null }): Promise<Omit<Detached, 'sessionIds'>> {
      const detached = await repo().detach(input.contactId, input.leadIds, (identity) => suppressionHashes(key, identity));
      // Web chat limits and number checks are keyed by session.
      await deleteRedisKeys([], detached.sessionIds);
      const { sessionIds: _sessionIds, ...rest } = detached;
      return rest;
    },

    /** Each lead's workflow erases its state and ends (terminated if it does not in time); Lead Ads intake histories are deleted. */
    async endLeadWorkflows(input: { leadIds: string[]; leadgenIds: string[] }): Promise<{ ended: number; terminated: number }> {
      const ctx = Context.current();
      const timeoutMs = deps.workflowEndTimeoutMs ?? 60_000;
      let ended = 0;
      let terminated = 0;
      for (const leadId of input.leadIds) {
        const handle = deps.temporal.workflow.getHandle(`lead-${leadId}`);
        try {
          await handle.signal(LEAD_SIGNALS.erase);
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) continue;
          throw err;
        }
        const deadline = Date.now() + timeoutMs;
        let running = true;
        while (running && Date.now() < deadline) {
          ctx.heartbeat(leadId);
          running = (await handle.describe()).status.name === 'RUNNING';
          if (running) await sleep(250);
        }
        if (running) {
          await handle.terminate('erased').catch((err: unknown) => {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          });
          terminated += 1;
          deps.logger.warn({ leadId }, 'lead workflow did not end after erase; terminated');
        } else ended += 1;
      }
      for (const leadgenId of input.leadgenIds) {
        ctx.heartbeat(leadgenId);
        await deps.temporal.workflowService
          .deleteWorkflowExecution({ namespace: deps.temporal.options.namespace, workflowExecution: { workflowId: `leadgen-${leadgenId}` } })
          .catch((err: unknown) => deps.logger.warn({ leadgenId, err: (err as Error).message }, 'lead ads intake history not deleted'));
      }
      return { ended, terminated };
    },

    async scrubErasedLeads(input: { leadIds: string[] }): Promise<{ redisKeys: number }> {
      const r = repo();
      const dedupe = (await r.inboundProviderIds(input.leadIds)).map((p) => `dedupe:${p.channel}:${p.providerId}`);
      const redisKeys = await deleteRedisKeys(dedupe, input.leadIds);
      await r.scrub(input.leadIds);
      return { redisKeys };
    },

    /** The leads' memories: their rows and their vectors, on the rows or in the lead_memories collection (ADR 019). */
    async forgetErasedMemories(input: { leadIds: string[] }): Promise<{ memories: number }> {
      const memories = await forgetLeadMemories({ em: deps.orm.em.fork(), logger: deps.logger, ...(deps.vectors && { vectors: deps.vectors }) }, input.leadIds);
      return { memories };
    },

    async destroyErasedKeys(input: { leadIds: string[] }): Promise<{ destroyed: number }> {
      let destroyed = 0;
      for (const leadId of input.leadIds) destroyed += await deps.destroyLeadKey(leadId);
      return { destroyed };
    },

    async recordErasure(input: ErasureInput & { leadIds: string[]; contactErased: boolean; redactedEvents: number; keys: number }): Promise<void> {
      await new AuditLogRepository(deps.orm.em.fork()).record({
        actorId: input.actor.id,
        actorRole: input.actor.role,
        action: input.reason === 'retention' ? 'contact.erase_retention' : 'contact.erase',
        leadId: input.leadIds.length === 1 ? input.leadIds[0]! : null,
        details: { contactId: input.contactId, leadIds: input.leadIds, contactErased: input.contactErased, redactedEvents: input.redactedEvents, destroyedKeys: input.keys },
      });
      deps.logger.info({ contactId: input.contactId, leads: input.leadIds.length, reason: input.reason }, 'contact erased');
    },
  };
}

export type ErasureActivities = ReturnType<typeof createErasureActivities>;
