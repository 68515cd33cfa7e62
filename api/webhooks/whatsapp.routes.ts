import type { Redis } from 'ioredis';
import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { ChannelRegistry } from '../../channels/channel.registry';
import { inboundItemCount } from '../../domain/inbound-batch.types';
import { INLINE_ITEM_LIMIT, startStoredEventIntake } from '../../intake/deferred-intake.starter';
import { intakeRecord, processInboundBatch } from '../../intake/inbound-batch.intake';
import type { LeadIntake } from '../../intake/lead.intake';
import type { Env } from '../../lib/env';
import type { Metrics } from '../metrics';
import { ingestReceived, receiveChannelWebhook, type WebhookEdge } from './channel-webhook';
import { webhookVerification } from './webhook-verification';
import type { InboundHandOn } from './inbound-handon';

export function whatsappRoutes(deps: { orm: MikroORM; redis: Redis; channels: ChannelRegistry; intake: LeadIntake; temporal: Client; env: Env; metrics: Metrics; edge: WebhookEdge; handOn?: InboundHandOn }) {
  const router = new Router();
  const inbound = deps.channels.whatsapp.inbound!;

  router.get('/webhooks/whatsapp', webhookVerification(() => deps.env.WHATSAPP_VERIFY_TOKEN, 'WHATSAPP_VERIFY_TOKEN'));

  router.post('/webhooks/whatsapp', async (ctx) => {
    const received = await receiveChannelWebhook(ctx, inbound, deps);
    const { event, events, batch, outcome } = received;
    for (const skipped of batch.skipped) {
      ctx.state.log.warn({ eventId: event.id, reason: skipped.reason, type: skipped.type, field: skipped.field, providerId: skipped.providerId, errors: skipped.errors }, 'whatsapp item skipped');
    }
    // Problems Meta reports about the number or app, not about one message: ops must see them,
    // and Meta must get its 200 (a non-2xx would only make it redeliver the same errors).
    for (const e of batch.errors) ctx.state.log.error({ eventId: event.id, alert: 'whatsapp_webhook_error', ...e }, 'whatsapp webhook reported an error');
    const counts = { messages: batch.messages.length, statuses: batch.statuses.length, identityChanges: batch.identityChanges.length, errors: batch.errors.length, skipped: batch.skipped.length };

    const items = inboundItemCount(batch);
    if (items > INLINE_ITEM_LIMIT) {
      // A large body is handed to a workflow that works from the stored event: the ack stays
      // fast and a crash half-way resumes instead of losing it.
      await ingestReceived(received, () => startStoredEventIntake(deps, event.id, `WhatsApp webhook batch (${items} items)`));
      outcome('deferred');
      ctx.body = { received: true, eventId: event.id, deferred: true, ...counts };
      return;
    }
    const handled = items + batch.errors.length;
    const intakeOf = (logger: typeof ctx.state.log) => processInboundBatch({ orm: deps.orm, redis: deps.redis, intake: deps.intake, env: deps.env, logger: logger.child({ eventId: event.id }) }, 'whatsapp', batch);
    if (deps.handOn && batch.messages.length + batch.statuses.length + batch.identityChanges.length > 0) {
      // The event is stored: answer now, and hand it on in order behind the same sender's earlier
      // messages. A failure is retried (bounded), then the event is marked failed and alerted.
      const first = batch.messages[0]?.identity;
      const log = ctx.state.log;
      deps.handOn.enqueue({ key: first?.waId ?? first?.bsuid ?? first?.phone ?? event.id, source: 'whatsapp', eventId: event.id, intake: async () => intakeRecord(await intakeOf(log)) });
      outcome('queued');
      ctx.body = { received: true, eventId: event.id, queued: true, ...counts };
      return;
    }
    const taken = await ingestReceived(received, () => intakeOf(ctx.state.log));
    await events.finish(event, handled > 0 ? 'processed' : 'skipped', intakeRecord(taken));
    outcome(handled > 0 ? 'processed' : 'skipped');
    ctx.body = { received: true, eventId: event.id, ...counts, failed: taken.failed.length };
  });

  return router;
}
