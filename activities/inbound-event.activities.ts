import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChannelInbound } from '../channels/channel.contract';
import { InboundEventRepository } from '../db/inbound-event.repository';
import type { LeadgenRef } from '../domain/leadgen.mapper';
import { startLeadgenIntakes } from '../intake/deferred-intake.starter';
import { intakeRecord, processInboundBatch } from '../intake/inbound-batch.intake';
import { createLeadIntake } from '../intake/lead.intake';
import { smsIntakeBatch } from '../intake/sms-batch.intake';
import type { Env } from '../lib/env';

/** The channels whose webhooks can be taken in from their stored event after the ack. */
export interface StoredEventChannels {
  whatsapp: ChannelInbound;
  sms: ChannelInbound;
  leadads: ChannelInbound<LeadgenRef>;
  smsProviderHandlesOptOut: boolean;
}

const STORED_EVENT_SOURCES = new Set(['whatsapp', 'sms', 'leadads']);

// A webhook body taken in after its ack, from the stored raw event, by the same channel parser
// and intake the route runs in the request: a large WhatsApp body (Meta's backlog after an
// outage), and any WhatsApp, SMS or Lead Ads event an API instance acknowledged but never
// finished (it died; the hand-on sweep finds it). Taking an event in twice is safe: the intake
// dedupes, and a Lead Ads lead's intake workflow id is its leadgen id.
export function createInboundEventActivities(deps: { orm: MikroORM; redis: Redis; temporal: Client; env: Env; logger: Logger; channels: StoredEventChannels }) {
  const intake = createLeadIntake({ orm: deps.orm, temporal: deps.temporal, redis: deps.redis, env: deps.env, logger: deps.logger });

  type IntakeDeps = Parameters<typeof processInboundBatch>[0];
  type Request = Parameters<ChannelInbound['parse']>[0];

  async function whatsapp(request: Request, intakeDeps: IntakeDeps) {
    const batch = deps.channels.whatsapp.parse(request);
    return { messages: batch.messages.length, ...(await processInboundBatch(intakeDeps, 'whatsapp', batch)) };
  }

  // HELP was answered in the webhook's own TwiML; and an SMS carries no time of its own, so its
  // messages take the time the event was received, not the time of this late intake.
  async function sms(request: Request, intakeDeps: IntakeDeps, receivedAt: Date) {
    const { batch } = smsIntakeBatch(deps.channels.sms.parse(request), receivedAt);
    return { messages: batch.messages.length, ...(await processInboundBatch(intakeDeps, 'sms', batch, { providerHandlesOptOut: deps.channels.smsProviderHandlesOptOut })) };
  }

  async function ingestStoredEvent(input: { eventId: string }): Promise<{ messages: number }> {
    const ctx = Context.current();
    const beat = setInterval(() => ctx.heartbeat(), 5000);
    try {
      const events = new InboundEventRepository(deps.orm.em.fork());
      const event = await events.find(input.eventId);
      if (!event) throw ApplicationFailure.nonRetryable(`inbound event ${input.eventId} not found`, 'InboundEventNotFound');
      if (!STORED_EVENT_SOURCES.has(event.source)) throw ApplicationFailure.nonRetryable(`inbound event ${input.eventId} is from ${event.source}, which is not taken in from its stored event`, 'InboundEventSourceUnsupported');
      // The route verified and parsed this body before it was stored as received; a parse error here is a bug, not an outage.
      const request = { rawBody: Buffer.from(event.rawBody, 'utf8'), headers: {}, origin: '', originalUrl: '', contentType: event.contentType ?? null };
      const logger = deps.logger.child({ eventId: event.id });
      if (event.source === 'leadads') {
        const refs = deps.channels.leadads.parse(request).deferred;
        const { providerIds } = await startLeadgenIntakes({ temporal: deps.temporal, env: deps.env, logger }, event.id, refs);
        // Only while still `received`: one of those workflows may already have marked it failed.
        await events.finishIfReceived(event.id, refs.length > 0 ? 'processed' : 'skipped', { providerIds });
        return { messages: refs.length };
      }
      const intakeDeps = { orm: deps.orm, redis: deps.redis, intake, env: deps.env, logger };
      // A bad item is reported and skipped; only an outage fails (and retries) the whole body.
      const { messages, ...taken } = event.source === 'whatsapp' ? await whatsapp(request, intakeDeps) : await sms(request, intakeDeps, event.receivedAt);
      await events.finishById(event.id, 'processed', intakeRecord(taken));
      return { messages };
    } finally {
      clearInterval(beat);
    }
  }

  return {
    ingestStoredEvent,
    /** The same activity under the name `whatsappBatchWorkflow` runs started by earlier builds schedule. */
    ingestWhatsAppEvent: ingestStoredEvent,
  };
}

export type InboundEventActivities = ReturnType<typeof createInboundEventActivities>;
