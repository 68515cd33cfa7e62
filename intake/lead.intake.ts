import { isDeepStrictEqual } from 'node:util';
import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { InboundMessage } from '../domain/inbound-message.schema';
import type { Channel, Market } from '../domain/profile.schema';
import { LeadEntity, type Lead } from '../db/entities';
import { LeadRepository, type ContactIdentity, type LeadOpening } from '../db/lead.repository';
import { ChannelRepository } from '../db/channel.repository';
import { LEAD_SIGNALS } from '../domain/lead-message-names.contract';
import { detectOptOut } from '../domain/opt-out.detector';
import type { Env } from '../lib/env';
import type { LeadWorkflowInput, leadWorkflow } from '../workflows/lead.workflow';
import { newLeadSearchAttributes } from '../temporal/search-attributes';
import { NEW_LEAD_PRIORITY } from '../temporal/lead-priority';
import { cleanJson } from '../domain/safe-text';
import { normalizeIdentity, normalizeMessage } from './inbound.normalizer';

export interface IntakeResult {
  leadId: string;
  workflowId: string;
  created: boolean;
  duplicate: boolean;
}

/** Who the message is from: identifiers to resolve, or a contact already known (a web chat session). */
export type IntakeSender = { identity: ContactIdentity } | { contactId: string };

export interface PreparedLead {
  lead: Lead;
  created: boolean;
}

export interface IntakeArgs {
  channel: Channel;
  message: InboundMessage;
  /** Attribution: the lead's source when this message opens it, a later touch otherwise. */
  source?: Record<string, unknown>;
  /** WhatsApp business number the message was sent to (replies leave from it). */
  waPhoneNumberId?: string;
  /** The provider confirmed a STOP itself and blocks later sends (Twilio): the workflow stops at once, no confirmation. */
  providerHandlesOptOut?: boolean;
}

/** Provider ids are remembered this long at the edge; the workflow remembers them too. */
const DEDUPE_TTL_SECONDS = 8 * 24 * 3600;

const dedupeKey = (channel: Channel, providerId: string) => `dedupe:${channel}:${providerId}`;

/** Attribution as stored: bounded, whatever the channel sent. */
const cleanSource = (source: Record<string, unknown>) => cleanJson(source, { maxItems: 100, maxString: 2048 }) as Record<string, unknown>;

/** Whatever the channel, nothing unbounded or unstorable goes further (inbound.normalizer.ts). */
const normalizeArgs = (received: IntakeArgs): IntakeArgs => ({
  ...received,
  message: normalizeMessage(received.message),
  ...(received.source && { source: cleanSource(received.source) }),
});

/** What a lead this message opens is inserted with (its source, the number written to). */
export function openingOf(received: Pick<IntakeArgs, 'source' | 'waPhoneNumberId'>): LeadOpening {
  return {
    ...(received.source && { source: cleanSource(received.source) }),
    ...(received.waPhoneNumberId && { waPhoneNumberId: received.waPhoneNumberId }),
  };
}

// The one way a message from any channel reaches a lead: resolve the person, find their open
// lead (or open one), and signal-with-start its workflow. Safe to call twice for one message.
// STOP and START are read here, by the one detector (domain/opt-out.detector.ts), for every
// channel: opt-out belongs to the person, so it is written on the contact before the workflow
// hears the message, and the reply router refuses every later send on every channel.
// `prepare` and `deliver` are separate so web chat can subscribe to the lead's reply stream
// between the two; a batch from one sender prepares once and delivers each message.
export function createLeadIntake(deps: { orm: MikroORM; temporal: Client; redis: Redis; env: Env; logger: Logger }) {
  /** `opening` goes into a new lead's insert, so its first message writes the row once (#13). */
  async function prepare(sender: IntakeSender, channel: Channel, opening: LeadOpening = {}): Promise<PreparedLead> {
    const repo = new LeadRepository(deps.orm.em.fork());
    let contactId: string;
    if ('contactId' in sender) {
      contactId = sender.contactId;
    } else {
      contactId = (await repo.resolveContact(normalizeIdentity(sender.identity))).id;
    }
    return repo.openLeadExclusive(contactId, channel, opening);
  }

  async function deliver(prepared: PreparedLead, received: IntakeArgs): Promise<IntakeResult> {
    const args = normalizeArgs(received);
    const { lead, created } = prepared;
    const repo = new LeadRepository(deps.orm.em.fork());
    // The first touch is the lead's source: usually written in its insert (`opening`), here
    // when the lead was opened without one.
    if (args.source && created && lead.source == null) {
      lead.source = args.source;
      await deps.orm.em.fork().nativeUpdate(LeadEntity, { id: lead.id }, { source: args.source });
    }
    if (args.waPhoneNumberId && lead.waPhoneNumberId !== args.waPhoneNumberId) {
      await repo.setWhatsAppNumber(lead.id, args.waPhoneNumberId);
      lead.waPhoneNumberId = args.waPhoneNumberId;
    }
    const key = dedupeKey(args.channel, args.message.providerId);
    if (await deps.redis.exists(key)) {
      return { leadId: lead.id, workflowId: lead.workflowId, created, duplicate: true };
    }
    // Attribution of a later touch (an ad click, a Lead Ads form) on a lead opened elsewhere,
    // or by an earlier message of the same batch.
    const laterTouch = !created || !isDeepStrictEqual(lead.source, args.source);
    if (args.source && laterTouch && Object.keys(args.source).some((k) => k !== 'channel')) {
      await repo.addSourceTouch(lead.id, { ...args.source, at: args.message.receivedAt });
    }
    const keyword = detectOptOut(args.message.text);
    const contactId = lead.contact.id;
    if (keyword === 'stop') await new ChannelRepository(deps.orm.em.fork()).optOut(contactId, args.message.providerId);
    else if (keyword === 'start') await new ChannelRepository(deps.orm.em.fork()).optIn(contactId, args.channel);
    const input: LeadWorkflowInput = {
      leadId: lead.id,
      market: lead.market as Market,
      channel: lead.channel as Channel,
      createdAt: lead.createdAt.toISOString(),
      coalesceMs: deps.env.COALESCE_WINDOW_MS,
      // PATCH_FOLD (workflows/lead.patches.ts): the patches this run has without asking (ADR 004).
      patchFold: 2,
    };
    const handle = await deps.temporal.workflow.signalWithStart<typeof leadWorkflow, [InboundMessage]>('leadWorkflow', {
      workflowId: lead.workflowId,
      taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
      args: [input],
      signal: 'inbound',
      signalArgs: [args.message],
      typedSearchAttributes: newLeadSearchAttributes(lead.channel as Channel),
      // Only a start takes it: a running lead keeps its own (temporal/lead-priority.ts).
      ...(deps.env.NEW_LEAD_PRIORITY && { priority: NEW_LEAD_PRIORITY }),
      staticSummary: `Lead via ${lead.channel}`,
      staticDetails: `Lead ${lead.id} (market ${lead.market}). Personal data stays in Leadline, not in Temporal metadata.`,
    });
    if (keyword === 'stop' && args.providerHandlesOptOut) await handle.signal(LEAD_SIGNALS.optOut);
    // Set only after the signal went through: a failure above leaves the id free for the retry.
    await deps.redis.set(key, lead.id, 'EX', DEDUPE_TTL_SECONDS);
    deps.logger.info({ leadId: lead.id, created, kind: args.message.kind, channel: args.channel }, 'message ingested');
    return { leadId: lead.id, workflowId: lead.workflowId, created, duplicate: false };
  }

  /**
   * A message the provider had accepted failed to deliver: the lead's workflow decides whether a
   * broker must call (a hot lead). Best effort: the alert is already on the lead, and a closed
   * run has nobody to tell.
   */
  async function notifyDeliveryFailed(leadId: string): Promise<void> {
    const lead = await new LeadRepository(deps.orm.em.fork()).findLead(leadId);
    if (!lead) return;
    try {
      await deps.temporal.workflow.getHandle(lead.workflowId).signal(LEAD_SIGNALS.deliveryFailed);
    } catch (err) {
      deps.logger.warn({ leadId, err: err instanceof Error ? err.name : 'error' }, 'the lead workflow was not told of a failed delivery');
    }
  }

  return {
    prepare,
    deliver,
    notifyDeliveryFailed,
    async ingest(args: IntakeArgs & { identity: ContactIdentity }): Promise<IntakeResult> {
      return deliver(await prepare({ identity: args.identity }, args.channel, openingOf(args)), args);
    },
  };
}

export type LeadIntake = ReturnType<typeof createLeadIntake>;
