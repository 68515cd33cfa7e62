import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { InboundEventRepository } from '../db/inbound-event.repository';
import { mapWhatsAppWebhookBody } from '../domain/whatsapp-inbound.mapper';
import type { Env } from '../lib/env';
import { createLeadIntake } from '../api/services/lead-intake.service';
import { processWhatsAppBatch } from '../api/services/whatsapp-batch.service';

// Large WhatsApp webhook bodies are acknowledged first and processed here, from the stored
// raw event, by the same code the webhook route runs for ordinary bodies.
export function createWhatsAppIntakeActivities(deps: { orm: MikroORM; redis: Redis; temporal: Client; env: Env; logger: Logger }) {
  const intake = createLeadIntake({ orm: deps.orm, temporal: deps.temporal, redis: deps.redis, env: deps.env, logger: deps.logger });

  return {
    async ingestWhatsAppEvent(input: { eventId: string }): Promise<{ messages: number }> {
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 5000);
      try {
        const events = new InboundEventRepository(deps.orm.em.fork());
        const event = await events.find(input.eventId);
        if (!event) throw ApplicationFailure.nonRetryable(`inbound event ${input.eventId} not found`, 'InboundEventNotFound');
        // The route verified and mapped this body before starting us; parse errors cannot happen here.
        const batch = mapWhatsAppWebhookBody(JSON.parse(event.rawBody));
        const logger = deps.logger.child({ eventId: event.id });
        const { providerIds } = await processWhatsAppBatch({ orm: deps.orm, intake, env: deps.env, logger }, batch);
        await events.finishById(event.id, 'processed', { providerIds });
        return { messages: batch.messages.length };
      } finally {
        clearInterval(beat);
      }
    },
  };
}

export type WhatsAppIntakeActivities = ReturnType<typeof createWhatsAppIntakeActivities>;
