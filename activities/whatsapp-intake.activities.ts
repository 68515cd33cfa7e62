import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChannelInbound } from '../channels/channel.contract';
import { InboundEventRepository } from '../db/inbound-event.repository';
import { failedItemsNote, processInboundBatch } from '../intake/inbound-batch.intake';
import { createLeadIntake } from '../intake/lead.intake';
import type { Env } from '../lib/env';

// Large WhatsApp webhook bodies are acknowledged first and processed here, from the stored
// raw event, by the same channel parser and intake the webhook route runs for ordinary bodies.
export function createWhatsAppIntakeActivities(deps: { orm: MikroORM; redis: Redis; temporal: Client; env: Env; logger: Logger; whatsapp: ChannelInbound }) {
  const intake = createLeadIntake({ orm: deps.orm, temporal: deps.temporal, redis: deps.redis, env: deps.env, logger: deps.logger });

  return {
    async ingestWhatsAppEvent(input: { eventId: string }): Promise<{ messages: number }> {
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 5000);
      try {
        const events = new InboundEventRepository(deps.orm.em.fork());
        const event = await events.find(input.eventId);
        if (!event) throw ApplicationFailure.nonRetryable(`inbound event ${input.eventId} not found`, 'InboundEventNotFound');
        // The route verified and parsed this body before starting us; parse errors cannot happen here.
        const batch = deps.whatsapp.parse({ rawBody: Buffer.from(event.rawBody, 'utf8'), headers: {}, origin: '', originalUrl: '', contentType: event.contentType ?? null });
        const logger = deps.logger.child({ eventId: event.id });
        // A bad item is reported and skipped; only an outage fails (and retries) the whole body.
        const { providerIds, failed } = await processInboundBatch({ orm: deps.orm, redis: deps.redis, intake, env: deps.env, logger }, 'whatsapp', batch);
        await events.finishById(event.id, 'processed', { providerIds, ...(failed.length > 0 && { error: failedItemsNote(failed) }) });
        return { messages: batch.messages.length };
      } finally {
        clearInterval(beat);
      }
    },
  };
}

export type WhatsAppIntakeActivities = ReturnType<typeof createWhatsAppIntakeActivities>;
