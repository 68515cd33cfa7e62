import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { InboundEventRepository } from '../../db/inbound-event.repository';
import { mapLeadgenWebhookBody, quoteLeadgenNumericIds } from '../../domain/leadgen.mapper';
import { AppError } from '../../lib/errors';
import type { Env } from '../../lib/env';
import type { LeadgenIntakeInput } from '../../activities/leadgen.activities';
import type { leadgenIntakeWorkflow } from '../../workflows/leadgen-intake.workflow';
import type { Metrics } from '../metrics';
import { readRawBody, WEBHOOK_BODY_LIMIT } from '../middleware/raw-body';
import { verifyMetaSignature } from './meta-signature';
import { webhookVerification } from './webhook-verification';

export const leadgenWorkflowId = (leadgenId: string) => `leadgen-${leadgenId}`;

// Meta Lead Ads webhooks (object "page", field "leadgen") carry ids only. The raw body is
// logged, then each lead gets its own intake workflow; the answers are fetched there, so the
// ack is fast and a Graph outage or an expired token never costs a lead.
export function leadadsRoutes(deps: { orm: MikroORM; temporal: Client; env: Env; logger: Logger; metrics: Metrics }) {
  const router = new Router();
  const appSecret = () => deps.env.LEADADS_APP_SECRET ?? deps.env.WHATSAPP_APP_SECRET;

  router.get('/webhooks/leadads', webhookVerification(() => deps.env.LEADADS_VERIFY_TOKEN ?? deps.env.WHATSAPP_VERIFY_TOKEN, 'LEADADS_VERIFY_TOKEN'));

  router.post('/webhooks/leadads', async (ctx) => {
    const raw = await readRawBody(ctx, WEBHOOK_BODY_LIMIT);
    const secret = appSecret();
    const signatureValid = secret ? verifyMetaSignature(raw, ctx.get('x-hub-signature-256') || undefined, secret) : null;
    const events = new InboundEventRepository(deps.orm.em.fork());
    const event = await events.record({ source: 'leadads', rawBody: raw.toString('utf8'), contentType: ctx.get('content-type') || null, signatureValid });
    const outcome = (o: string) => deps.metrics.inboundEvents.inc({ source: 'leadads', outcome: o });
    if (signatureValid === null) ctx.state.log.warn({ eventId: event.id }, 'no Lead Ads app secret configured: accepting an unsigned webhook');

    if (signatureValid === false) {
      await events.finish(event, 'failed', { error: 'invalid or missing X-Hub-Signature-256' });
      outcome('bad_signature');
      throw new AppError('invalid_signature', 401, 'Invalid or missing X-Hub-Signature-256', { eventId: event.id });
    }
    let body: unknown;
    try {
      // Ids above 2^53 would change in JSON.parse; quote them first (the signature saw the original bytes).
      body = JSON.parse(quoteLeadgenNumericIds(raw.toString('utf8')));
    } catch (err) {
      await events.finish(event, 'failed', { error: `malformed JSON: ${(err as Error).message}` });
      outcome('malformed');
      throw new AppError('invalid_json', 400, 'Body is not valid JSON', { eventId: event.id });
    }
    const result = mapLeadgenWebhookBody(body);
    const invalid = result.skipped.find((s) => s.reason === 'invalid_envelope');
    if (invalid) {
      await events.finish(event, 'failed', { error: `not a Lead Ads webhook: ${invalid.detail ?? ''}` });
      outcome('invalid_envelope');
      throw new AppError('invalid_envelope', 400, 'Body is not a Meta Lead Ads (page/leadgen) webhook envelope', { eventId: event.id, issues: invalid.detail });
    }
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
