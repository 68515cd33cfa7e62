import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { mapWhatsAppWebhookBody } from '../../domain/whatsapp-inbound.mapper';
import type { Env } from '../../lib/env';
import type { whatsappBatchWorkflow } from '../../workflows/whatsapp-batch.workflow';
import type { Metrics } from '../metrics';
import type { LeadIntake } from '../services/lead-intake.service';
import { processWhatsAppBatch } from '../services/whatsapp-batch.service';
import { receiveSignedWebhook } from './signed-webhook';
import { webhookVerification } from './webhook-verification';

export function whatsappRoutes(deps: { orm: MikroORM; intake: LeadIntake; temporal: Client; env: Env; logger: Logger; metrics: Metrics }) {
  const router = new Router();

  router.get('/webhooks/whatsapp', webhookVerification(() => deps.env.WHATSAPP_VERIFY_TOKEN, 'WHATSAPP_VERIFY_TOKEN'));

  router.post('/webhooks/whatsapp', async (ctx) => {
    const { event, events, batch, outcome } = await receiveSignedWebhook(ctx, {
      source: 'whatsapp',
      secret: deps.env.WHATSAPP_APP_SECRET,
      orm: deps.orm,
      metrics: deps.metrics,
      parse: JSON.parse,
      map: mapWhatsAppWebhookBody,
      envelopeName: 'WhatsApp Cloud API webhook',
    });
    for (const skipped of batch.skipped) {
      ctx.state.log.warn({ eventId: event.id, reason: skipped.reason, type: skipped.type, field: skipped.field, providerId: skipped.providerId, errors: skipped.errors }, 'whatsapp item skipped');
    }
    // Problems Meta reports about the number or app, not about one message: ops must see them,
    // and Meta must get its 200 (a non-2xx would only make it redeliver the same errors).
    for (const e of batch.errors) {
      ctx.state.log.error({ eventId: event.id, alert: 'whatsapp_webhook_error', ...e }, 'whatsapp webhook reported an error');
    }

    const items = batch.messages.length + batch.statuses.length + batch.identityChanges.length;
    if (items > INLINE_ITEM_LIMIT) {
      // A large body (Meta's backlog after an outage) is handed to a workflow that works from
      // the stored event: the ack stays fast and a crash half-way resumes instead of losing it.
      try {
        await deps.temporal.workflow.start<typeof whatsappBatchWorkflow>('whatsappBatchWorkflow', {
          workflowId: whatsappBatchWorkflowId(event.id),
          taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
          args: [{ eventId: event.id }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          staticSummary: `WhatsApp webhook batch (${items} items)`,
        });
      } catch (err) {
        await events.finish(event, 'failed', { error: `could not start batch intake: ${(err as Error).message}` });
        outcome('error');
        throw err;
      }
      outcome('deferred');
      ctx.body = { received: true, eventId: event.id, deferred: true, messages: batch.messages.length, statuses: batch.statuses.length, identityChanges: batch.identityChanges.length, errors: batch.errors.length, skipped: batch.skipped.length };
      return;
    }

    let providerIds: string[];
    try {
      ({ providerIds } = await processWhatsAppBatch({ orm: deps.orm, intake: deps.intake, env: deps.env, logger: ctx.state.log.child({ eventId: event.id }) }, batch));
    } catch (err) {
      // Stored and marked: a 5xx makes Meta redeliver, and the edge dedupe skips what went through.
      await events.finish(event, 'failed', { error: `processing failed: ${(err as Error).message}` });
      outcome('error');
      throw err;
    }
    const handled = batch.messages.length + batch.statuses.length + batch.identityChanges.length + batch.errors.length;
    await events.finish(event, handled > 0 ? 'processed' : 'skipped', { providerIds });
    outcome(handled > 0 ? 'processed' : 'skipped');
    ctx.body = {
      received: true,
      eventId: event.id,
      messages: batch.messages.length,
      statuses: batch.statuses.length,
      identityChanges: batch.identityChanges.length,
      errors: batch.errors.length,
      skipped: batch.skipped.length,
    };
  });

  return router;
}

/** Bodies with more items than this are processed by a workflow instead of in the request. */
export const INLINE_ITEM_LIMIT = 50;

export const whatsappBatchWorkflowId = (eventId: string) => `whatsapp-event-${eventId}`;
