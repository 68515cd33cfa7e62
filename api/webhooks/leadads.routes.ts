import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { mapLeadgenWebhookBody, quoteLeadgenNumericIds } from '../../domain/leadgen.mapper';
import type { Env } from '../../lib/env';
import type { LeadgenIntakeInput } from '../../activities/leadgen.activities';
import type { leadgenIntakeWorkflow } from '../../workflows/leadgen-intake.workflow';
import type { Metrics } from '../metrics';
import { receiveSignedWebhook } from './signed-webhook';
import { webhookVerification } from './webhook-verification';

export const leadgenWorkflowId = (leadgenId: string) => `leadgen-${leadgenId}`;

// Meta Lead Ads webhooks (object "page", field "leadgen") carry ids only. The raw body is
// logged, then each lead gets its own intake workflow; the answers are fetched there, so the
// ack is fast and a Graph outage or an expired token never costs a lead.
export function leadadsRoutes(deps: { orm: MikroORM; temporal: Client; env: Env; logger: Logger; metrics: Metrics }) {
  const router = new Router();

  router.get('/webhooks/leadads', webhookVerification(() => deps.env.LEADADS_VERIFY_TOKEN ?? deps.env.WHATSAPP_VERIFY_TOKEN, 'LEADADS_VERIFY_TOKEN'));

  router.post('/webhooks/leadads', async (ctx) => {
    const { event, events, batch: result, outcome } = await receiveSignedWebhook(ctx, {
      source: 'leadads',
      secret: deps.env.LEADADS_APP_SECRET ?? deps.env.WHATSAPP_APP_SECRET,
      orm: deps.orm,
      metrics: deps.metrics,
      // Ids above 2^53 would change in JSON.parse; quote them first (the signature saw the original bytes).
      parse: (text) => JSON.parse(quoteLeadgenNumericIds(text)),
      map: mapLeadgenWebhookBody,
      envelopeName: 'Meta Lead Ads (page/leadgen) webhook',
    });
    for (const skipped of result.skipped) {
      ctx.state.log.warn({ eventId: event.id, reason: skipped.reason, field: skipped.field, leadgenId: skipped.leadgenId, detail: skipped.detail }, 'leadgen change skipped');
    }

    // Finished before the workflows start: a workflow that finds the lead unknown marks the
    // event failed, and that must not be overwritten by this request.
    const handled = result.refs.length;
    await events.finish(event, handled > 0 ? 'processed' : 'skipped', { providerIds: result.refs.map((r) => r.leadgenId) });
    let started = 0;
    try {
      for (const ref of result.refs) {
        const input: LeadgenIntakeInput = { ...ref, eventId: event.id };
        try {
          await deps.temporal.workflow.start<typeof leadgenIntakeWorkflow>('leadgenIntakeWorkflow', {
            workflowId: leadgenWorkflowId(ref.leadgenId),
            taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
            args: [input],
            // A redelivery joins the running intake, and one that already finished is refused:
            // the workflow id is the dedupe for Meta's at-least-once webhooks.
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            staticSummary: 'Lead Ads intake',
          });
          started += 1;
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          ctx.state.log.info({ eventId: event.id, leadgenId: ref.leadgenId }, 'leadgen already taken in');
        }
      }
    } catch (err) {
      // A 5xx makes Meta redeliver; workflows already started are joined, not duplicated.
      await events.markFailed(event.id, `starting intake failed: ${(err as Error).message}`);
      outcome('error');
      throw err;
    }
    outcome(handled > 0 ? 'processed' : 'skipped');
    ctx.body = { received: true, eventId: event.id, leads: handled, started, skipped: result.skipped.length };
  });

  return router;
}
