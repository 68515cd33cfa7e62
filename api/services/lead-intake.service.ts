import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { InboundMessage } from '../../domain/inbound-message.schema';
import type { Channel, Market } from '../../domain/profile.schema';
import { LeadRepository, type ContactIdentity } from '../../db/lead.repository';
import type { Env } from '../../lib/env';
import type { LeadWorkflowInput, leadWorkflow } from '../../workflows/lead.workflow';
import { ChannelKey, LeadStageKey } from '../../temporal/search-attributes';

export interface IntakeResult {
  leadId: string;
  workflowId: string;
  created: boolean;
  duplicate: boolean;
}

/** Provider ids are remembered this long at the edge; the workflow remembers them too. */
const DEDUPE_TTL_SECONDS = 8 * 24 * 3600;

// The one way a message from any channel reaches a lead: resolve the person, find their open
// lead (or open one), and signal-with-start its workflow. Safe to call twice for one message.
export function createLeadIntake(deps: { orm: MikroORM; temporal: Client; redis: Redis; env: Env; logger: Logger }) {
  return {
    async ingest(args: { identity: ContactIdentity; channel: Channel; message: InboundMessage; source?: Record<string, unknown> }): Promise<IntakeResult> {
      const dedupeKey = `dedupe:${args.channel}:${args.message.providerId}`;
      const em = deps.orm.em.fork();
      const repo = new LeadRepository(em);
      const contact = await repo.resolveContact(args.identity);
      const { lead, created } = await repo.openLeadFor(contact, args.channel);
      if (created && args.source) {
        lead.source = args.source;
        await em.flush();
      }
      if (await deps.redis.exists(dedupeKey)) {
        return { leadId: lead.id, workflowId: lead.workflowId, created, duplicate: true };
      }
      const input: LeadWorkflowInput = {
        leadId: lead.id,
        market: lead.market as Market,
        channel: lead.channel as Channel,
        createdAt: lead.createdAt.toISOString(),
        coalesceMs: deps.env.COALESCE_WINDOW_MS,
      };
      await deps.temporal.workflow.signalWithStart<typeof leadWorkflow, [InboundMessage]>('leadWorkflow', {
        workflowId: lead.workflowId,
        taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
        args: [input],
        signal: 'inbound',
        signalArgs: [args.message],
        typedSearchAttributes: [
          { key: LeadStageKey, value: 'new' },
          { key: ChannelKey, value: lead.channel },
        ],
        staticSummary: `Lead via ${lead.channel}`,
        staticDetails: `Lead ${lead.id} (market ${lead.market}). Personal data stays in Leadline, not in Temporal metadata.`,
      });
      // Set only after the signal went through: a failure above leaves the id free for the retry.
      await deps.redis.set(dedupeKey, lead.id, 'EX', DEDUPE_TTL_SECONDS);
      deps.logger.info({ leadId: lead.id, created, kind: args.message.kind, channel: args.channel }, 'message ingested');
      return { leadId: lead.id, workflowId: lead.workflowId, created, duplicate: false };
    },
  };
}

export type LeadIntake = ReturnType<typeof createLeadIntake>;

export function contactIdentity(partial: Omit<ContactIdentity, 'market'>, market: Market): ContactIdentity {
  return { ...partial, market };
}
