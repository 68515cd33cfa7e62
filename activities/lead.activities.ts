import { Context, ApplicationFailure } from '@temporalio/activity';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Agent, AgentTools, AgentTurnResult } from '../domain/agent.types';
import type { InboundMessage } from '../domain/inbound-message.schema';
import type { Market } from '../domain/profile.schema';
import { ContactRepository } from '../db/contact.repository';
import { LeadRepository } from '../db/lead.repository';
import { MediaRepository } from '../db/media.repository';
import { contactDetailsIn } from '../domain/contact-details.extractor';
import { spokenLanguage } from '../domain/language.detector';
import { enforceOptOut } from '../domain/lead-opt-out.rules';
import { raiseLeadAlert } from '../intake/lead-alert.raiser';
import { createPostgresInventorySearch } from './inventory/postgres-inventory.search';
import type { ReplyRouter } from '../channels/reply.router';
import { createLifecycleActivities } from './lifecycle.activities';
import type { Env } from '../lib/env';
import type { ErasureActivities } from './erasure.activities';
import { encodeLeadEvent, leadEventsChannel } from '../lib/lead-events.channel';
import type { VectorStack } from '../lib/vector/vector.factory';
import { settleAfterFirstTurn, type WorkflowRef } from '../temporal/lead-priority';
import { recallLeadMemories, rememberLeadMessages, type LeadMemoryDeps } from './memory/lead-memory.recall';
import type { AgentTurnInput, AgentTurnOutcome, DeliverReplyInput, DeliverReplyResult, ProjectionInput, RememberTurnInput, TurnDelivery } from './lead-activity.contract';

export interface ActivityDeps {
  orm: MikroORM;
  redis: Redis;
  agent: Agent;
  /** Decides the channel of each reply and sends it there. */
  channels: ReplyRouter;
  logger: Logger;
  /** Test hook only (AGENT_TURN_DELAY_MS): lets a test kill the worker mid-turn. */
  agentTurnDelayMs?: number;
  /** Lifecycle durations and the default time zone. */
  env: Env;
  /** The agent's inventory_search per turn; default the Postgres search. */
  inventorySearch?: (em: EntityManager) => AgentTools['inventorySearch'];
  /** The vector index lead memories are searched in; without it they are recalled by recency. */
  vectors?: VectorStack;
  /** Told when a timeline entry queued an alert e-mail (the worker's outbox, activities/alert-mail.outbox.ts). */
  mailQueued?: () => void;
  /** Moves a lead's workflow off the new-lead priority once its first turn is over (temporal/lead-priority.ts). */
  settlePriority?: (workflow: WorkflowRef) => Promise<void>;
}

export function createActivities(deps: ActivityDeps) {
  // One forked EntityManager per activity execution: the ORM's RequestContext equivalent.
  const repo = () => new LeadRepository(deps.orm.em.fork());
  const lifecycle = createLifecycleActivities({
    orm: deps.orm,
    logger: deps.logger,
    env: deps.env,
    ...(deps.mailQueued && { mailQueued: deps.mailQueued }),
    publish: async (channel, event) => {
      await deps.redis.publish(channel, encodeLeadEvent(event));
    },
  });

  /**
   * The contact keeps the language of the lead's own words (the one the reply was written in),
   * for the broker and the next channel. Nothing is written while none of their messages has a
   * language ("👍", "3"), so the default English never overwrites what was detected before.
   */
  async function keepLanguage(input: AgentTurnInput, result: AgentTurnResult): Promise<void> {
    const spoken = spokenLanguage(input.messages);
    if (!spoken) return;
    try {
      await new ContactRepository(deps.orm.em.fork()).saveLanguage(input.leadId, result.language ?? spoken);
    } catch (err) {
      // not worth a second agent turn (and a second model call): the next turn writes it again
      deps.logger.warn({ leadId: input.leadId, err: err instanceof Error ? err.message : String(err) }, 'could not keep the contact language');
    }
  }

  const memoryDepsFor = (em: EntityManager): LeadMemoryDeps => ({ em, logger: deps.logger, ...(deps.vectors && { vectors: deps.vectors }) });

  /** This turn's messages become memories for the next ones (idempotent on retry); a failure costs the recall, not the turn. */
  async function remember(memoryDeps: LeadMemoryDeps, input: RememberTurnInput & { now: string }): Promise<void> {
    await rememberLeadMessages(memoryDeps, { leadId: input.leadId, market: input.market, now: input.now, messages: input.messages }).catch((err: unknown) => {
      deps.logger.warn({ leadId: input.leadId, err: err instanceof Error ? err.message : String(err) }, 'lead memories not written');
    });
  }

  /** Writes a reply once per idempotency key and sends it once, however often retried (deliverReply, and a turn that sends its own reply). */
  async function deliver(input: DeliverReplyInput): Promise<DeliverReplyResult> {
    const r = repo();
    const row = await r.claimOutbound(input);
    if (row.delivery_status !== 'queued') return { status: row.delivery_status, providerId: row.provider_id };
    const sent = await deps.channels.deliver(input);
    await r.markOutbound(row.id, sent.status, sent.providerId, sent.error, { channel: sent.channel, ...(sent.unreachable && { unreachable: true }) });
    if (sent.status === 'failed') {
      // Written once per reply (the key), before the result: a retried activity finds it there.
      await raiseLeadAlert(deps, {
        leadId: input.leadId,
        kind: sent.unreachable ? 'unreachable' : 'send_failed',
        body: sent.unreachable
          ? `The lead cannot be reached on ${sent.channel}: ${sent.error ?? 'no way to send'}`
          : `A ${input.actor === 'broker' ? "broker's" : "the agent's"} message was not sent on ${sent.channel}: ${sent.error ?? 'refused'}`,
        idempotencyKey: `${input.idempotencyKey}:failed`,
        meta: { channel: sent.channel, replyKey: input.idempotencyKey },
      });
    }
    await deps.redis.publish(
      leadEventsChannel(input.leadId),
      encodeLeadEvent({ type: 'reply', actor: input.actor ?? 'agent', idempotencyKey: input.idempotencyKey, inReplyTo: input.inReplyTo, text: input.text, status: sent.status }),
    );
    return { status: sent.status, providerId: sent.providerId, ...(sent.unreachable && { unreachable: true }) };
  }

  /**
   * The turn sends its own reply (REPLY_IN_TURN_PATCH). It stands back, and the workflow decides,
   * when a broker owns the lead by now (the workflow also knows claims not yet written here) and
   * when the send throws: the workflow then sends with deliverReply, whose retries and alerts
   * are the channel's, so a flaky channel never costs a second agent turn.
   */
  async function replyInTurn(input: AgentTurnInput, d: TurnDelivery, result: AgentTurnResult): Promise<AgentTurnOutcome> {
    const reply = enforceOptOut(result, d.fresh).reply;
    if (!reply) return result;
    try {
      if (await new LeadRepository(deps.orm.em.fork()).ownerOf(input.leadId)) return result;
      const delivered = await deliver({ leadId: input.leadId, channel: input.channel, text: reply, idempotencyKey: d.idempotencyKey, inReplyTo: d.inReplyTo });
      return { ...result, delivered };
    } catch (err) {
      deps.logger.warn({ leadId: input.leadId, err: err instanceof Error ? err.message : String(err) }, 'reply not sent from the turn; the workflow sends it');
      return result;
    }
  }

  return {
    ...lifecycle,

    /** After the reply went out (remember: false on the turn): the turn's messages become memories. */
    async rememberTurn(input: RememberTurnInput): Promise<void> {
      settleAfterFirstTurn(input.settlePriority, Context.current().info.workflowExecution, deps.settlePriority, deps.logger);
      await remember(memoryDepsFor(deps.orm.em.fork()), { ...input, now: new Date().toISOString() });
    },

    async agentTurn(input: AgentTurnInput): Promise<AgentTurnOutcome> {
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 1000);
      try {
        if (deps.agentTurnDelayMs) await ctx.sleep(deps.agentTurnDelayMs);
        const em = deps.orm.em.fork();
        const lead = await new LeadRepository(em).findLead(input.leadId);
        if (!lead) throw ApplicationFailure.nonRetryable(`lead ${input.leadId} not found`, 'LeadNotFound');
        const contact = lead.contact;
        const memoryDeps = memoryDepsFor(em);
        const newest = [...input.messages].reverse().find((m) => m.from === 'lead')?.text ?? '';
        // What the lead said before, even before a continue-as-new: a failure here costs the recall, not the turn.
        const memories =
          input.recall === false
            ? []
            : await recallLeadMemories(memoryDeps, { leadId: input.leadId, query: newest }).catch((err: unknown) => {
                deps.logger.warn({ leadId: input.leadId, err: err instanceof Error ? err.message : String(err) }, 'lead memories not recalled');
                return [];
              });
        const now = new Date().toISOString();
        // Details typed in a chat are the lead's claim, unverified, but they are how a broker reaches them.
        const result = await deps.agent.turn(
          {
            leadId: input.leadId,
            market: input.market,
            now,
            channel: input.channel,
            contact: { name: contact.name ?? contact.claimedName ?? null, phone: contact.phone ?? contact.claimedPhone ?? null, email: contact.email ?? contact.claimedEmail ?? null },
            messages: input.messages,
            formAnswers: input.formAnswers,
            ...(input.timeZone && { timeZone: input.timeZone }),
            memories,
          },
          { inventorySearch: (deps.inventorySearch ?? createPostgresInventorySearch)(em) },
        );
        const outcome = input.deliver ? await replyInTurn(input, input.deliver, result) : result;
        await keepLanguage(input, result);
        if (input.remember !== false) await remember(memoryDeps, { ...input, now });
        return outcome;
      } finally {
        clearInterval(beat);
      }
    },

    async recordInbound(input: { leadId: string; messages: InboundMessage[] }): Promise<number> {
      const em = deps.orm.em.fork();
      const inserted = await new LeadRepository(em).recordInbound(
        input.leadId,
        input.messages.map((m) => ({
          providerId: m.providerId,
          text: m.text,
          kind: m.kind,
          receivedAt: m.receivedAt,
          meta: {
            channel: m.channel,
            ...(m.attribution ? { attribution: m.attribution } : {}),
            ...(m.media ? { media: { id: m.media.id, mimeType: m.media.mimeType ?? null, filename: m.media.filename ?? null } } : {}),
          },
        })),
      );
      const media = new MediaRepository(em);
      for (const m of input.messages) {
        if (m.media) await media.announce(input.leadId, { messageProviderId: m.providerId, mediaId: m.media.id, kind: m.kind, ...m.media });
      }
      // A web chat lead types their name, phone or e-mail: kept on the contact as unverified.
      const web = input.messages.filter((m) => m.channel === 'web');
      if (web.length > 0) {
        const lead = await new LeadRepository(em).findLead(input.leadId);
        const claimed = contactDetailsIn(web.map((m) => ({ from: 'lead', text: m.text })), (lead?.market ?? deps.env.DEFAULT_MARKET) as Market);
        await new ContactRepository(em).saveClaimed(input.leadId, claimed);
      }
      return inserted;
    },

    /** Writes the reply once per turn and sends it once per turn, however often retried. */
    async deliverReply(input: DeliverReplyInput): Promise<DeliverReplyResult> {
      return deliver(input);
    },

    async persistProjection(input: ProjectionInput): Promise<void> {
      await repo().saveProjection(input);
      await deps.redis.publish(
        leadEventsChannel(input.leadId),
        encodeLeadEvent({ type: 'state', stage: input.stage, ownerId: input.ownerId, nextFollowUpAt: input.nextFollowUpAt ?? null, slaDueAt: input.slaDueAt ?? null }),
      );
    },
  };
}

/** The lead workflow's activities: its own, and retention's request to the erasure workflow. */
export type LeadActivities = ReturnType<typeof createActivities> & Pick<ErasureActivities, 'requestErasure'>;
