import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { ChannelRegistry } from '../../channels/channel.registry';
import { startLeadgenIntakes } from '../../intake/deferred-intake.starter';
import type { Env } from '../../lib/env';
import type { Metrics } from '../metrics';
import { receiveChannelWebhook, type WebhookEdge } from './channel-webhook';
import type { InboundHandOn } from './inbound-handon';
import { webhookVerification } from './webhook-verification';

// Meta Lead Ads webhooks carry ids only. The raw body is logged, then each lead gets its own
// intake workflow; the answers are fetched there, so a Graph outage or an expired token never
// costs a lead. With WEBHOOK_ACK=async (the default) the ack does not wait on Temporal either:
// a campaign's burst of leads is answered once stored, and the workflows start behind it.
export function leadadsRoutes(deps: { orm: MikroORM; channels: ChannelRegistry; temporal: Client; env: Env; metrics: Metrics; edge: WebhookEdge; handOn?: InboundHandOn }) {
  const router = new Router();
  const inbound = deps.channels.leadads.inbound!;

  router.get('/webhooks/leadads', webhookVerification(() => deps.env.LEADADS_VERIFY_TOKEN ?? deps.env.WHATSAPP_VERIFY_TOKEN, 'LEADADS_VERIFY_TOKEN'));

  router.post('/webhooks/leadads', async (ctx) => {
    const { event, events, batch, outcome } = await receiveChannelWebhook(ctx, inbound, deps);
    for (const skipped of batch.skipped) {
      ctx.state.log.warn({ eventId: event.id, reason: skipped.reason, field: skipped.field, leadgenId: skipped.leadgenId, detail: skipped.detail }, 'leadgen change skipped');
    }
    const refs = batch.deferred;
    const counts = { leads: refs.length, skipped: batch.skipped.length };
    if (refs.length === 0) {
      await events.finish(event, 'skipped', { providerIds: [] });
      outcome('skipped');
      ctx.body = { received: true, eventId: event.id, started: 0, ...counts };
      return;
    }
    const start = () => startLeadgenIntakes({ ...deps, logger: ctx.state.log }, event.id, refs);
    if (deps.handOn) {
      // Stored: answer now. The hand-on starts the workflows (retried, then failed and alerted)
      // and marks the event processed only if no workflow has marked it failed meanwhile.
      deps.handOn.enqueue({ key: `leadads:${event.id}`, source: 'leadads', eventId: event.id, intake: async () => ({ providerIds: (await start()).providerIds }) });
      outcome('queued');
      ctx.body = { received: true, eventId: event.id, queued: true, ...counts };
      return;
    }
    // Finished before the workflows start: a workflow that finds the lead unknown marks the
    // event failed, and that must not be overwritten by this request.
    await events.finish(event, 'processed', { providerIds: refs.map((r) => r.leadgenId) });
    try {
      const { started } = await start();
      outcome('processed');
      ctx.body = { received: true, eventId: event.id, started, ...counts };
    } catch (err) {
      // A 5xx makes Meta redeliver; workflows already started are joined, not duplicated.
      await events.markFailed(event.id, `starting intake failed: ${(err as Error).message}`);
      outcome('error');
      throw err;
    }
  });

  return router;
}
