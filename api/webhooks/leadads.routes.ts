import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { ChannelRegistry } from '../../channels/channel.registry';
import { startLeadgenIntake } from '../../intake/deferred-intake.starter';
import type { Env } from '../../lib/env';
import type { Metrics } from '../metrics';
import { receiveChannelWebhook, type WebhookEdge } from './channel-webhook';
import { webhookVerification } from './webhook-verification';

// Meta Lead Ads webhooks carry ids only. The raw body is logged, then each lead gets its own
// intake workflow; the answers are fetched there, so the ack is fast and a Graph outage or an
// expired token never costs a lead.
export function leadadsRoutes(deps: { orm: MikroORM; channels: ChannelRegistry; temporal: Client; env: Env; metrics: Metrics; edge: WebhookEdge }) {
  const router = new Router();
  const inbound = deps.channels.leadads.inbound!;

  router.get('/webhooks/leadads', webhookVerification(() => deps.env.LEADADS_VERIFY_TOKEN ?? deps.env.WHATSAPP_VERIFY_TOKEN, 'LEADADS_VERIFY_TOKEN'));

  router.post('/webhooks/leadads', async (ctx) => {
    const { event, events, batch, outcome } = await receiveChannelWebhook(ctx, inbound, deps);
    for (const skipped of batch.skipped) {
      ctx.state.log.warn({ eventId: event.id, reason: skipped.reason, field: skipped.field, leadgenId: skipped.leadgenId, detail: skipped.detail }, 'leadgen change skipped');
    }
    // Finished before the workflows start: a workflow that finds the lead unknown marks the
    // event failed, and that must not be overwritten by this request.
    const refs = batch.deferred;
    await events.finish(event, refs.length > 0 ? 'processed' : 'skipped', { providerIds: refs.map((r) => r.leadgenId) });
    let started = 0;
    try {
      for (const ref of refs) {
        if (await startLeadgenIntake(deps, event.id, ref)) started += 1;
        else ctx.state.log.info({ eventId: event.id, leadgenId: ref.leadgenId }, 'leadgen already taken in');
      }
    } catch (err) {
      // A 5xx makes Meta redeliver; workflows already started are joined, not duplicated.
      await events.markFailed(event.id, `starting intake failed: ${(err as Error).message}`);
      outcome('error');
      throw err;
    }
    outcome(refs.length > 0 ? 'processed' : 'skipped');
    ctx.body = { received: true, eventId: event.id, leads: refs.length, started, skipped: batch.skipped.length };
  });

  return router;
}
