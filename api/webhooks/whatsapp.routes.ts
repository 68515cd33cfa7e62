import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { InboundEventRepository } from '../../db/inbound-event.repository';
import { mapWhatsAppWebhookBody } from '../../domain/whatsapp-inbound.mapper';
import { AppError } from '../../lib/errors';
import type { Env } from '../../lib/env';
import type { Metrics } from '../metrics';
import { readRawBody, WEBHOOK_BODY_LIMIT } from '../middleware/raw-body';
import type { LeadIntake } from '../services/lead-intake.service';
import { marketForPhone } from '../services/market';
import { verifyMetaSignature, verifyWebhookChallenge } from './meta-signature';

export function whatsappRoutes(deps: { orm: MikroORM; intake: LeadIntake; env: Env; logger: Logger; metrics: Metrics }) {
  const router = new Router();

  router.get('/webhooks/whatsapp', (ctx) => {
    const token = deps.env.WHATSAPP_VERIFY_TOKEN;
    if (!token) throw new AppError('not_configured', 403, 'WHATSAPP_VERIFY_TOKEN is not configured');
    const challenge = verifyWebhookChallenge(ctx.query, token);
    if (challenge === null) throw new AppError('verification_failed', 403, 'Webhook verification failed');
    ctx.type = 'text/plain';
    ctx.body = challenge;
  });

  router.post('/webhooks/whatsapp', async (ctx) => {
    const raw = await readRawBody(ctx, WEBHOOK_BODY_LIMIT);
    const secret = deps.env.WHATSAPP_APP_SECRET;
    const signatureValid = secret ? verifyMetaSignature(raw, ctx.get('x-hub-signature-256') || undefined, secret) : null;
    const events = new InboundEventRepository(deps.orm.em.fork());
    // Stored before anything can fail, refused or not: the log is what a replay works from.
    const event = await events.record({ source: 'whatsapp', rawBody: raw.toString('utf8'), contentType: ctx.get('content-type') || null, signatureValid });
    const outcome = (o: string) => deps.metrics.inboundEvents.inc({ source: 'whatsapp', outcome: o });

    if (signatureValid === false) {
      await events.finish(event, 'failed', { error: 'invalid or missing X-Hub-Signature-256' });
      outcome('bad_signature');
      throw new AppError('invalid_signature', 401, 'Invalid or missing X-Hub-Signature-256', { eventId: event.id });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      await events.finish(event, 'failed', { error: `malformed JSON: ${(err as Error).message}` });
      outcome('malformed');
      throw new AppError('invalid_json', 400, 'Body is not valid JSON', { eventId: event.id });
    }
    const batch = mapWhatsAppWebhookBody(body);
    const invalid = batch.skipped.find((s) => s.reason === 'invalid_envelope');
    if (invalid) {
      await events.finish(event, 'failed', { error: `not a WhatsApp webhook: ${invalid.detail ?? ''}` });
      outcome('invalid_envelope');
      throw new AppError('invalid_envelope', 400, 'Body is not a WhatsApp Cloud API webhook envelope', { eventId: event.id, issues: invalid.detail });
    }

    for (const skipped of batch.skipped) {
      ctx.state.log.warn({ eventId: event.id, reason: skipped.reason, type: skipped.type, providerId: skipped.providerId }, 'whatsapp item skipped');
    }
    const providerIds: string[] = [];
    for (const item of batch.messages) {
      const market = marketForPhone(item.identity.phoneE164, deps.env.DEFAULT_MARKET);
      await deps.intake.ingest({
        identity: { phone: item.identity.phoneE164 ?? null, waId: item.identity.waId ?? null, bsuid: item.identity.bsuid ?? null, name: item.identity.profileName ?? null, market },
        channel: 'whatsapp',
        message: item.message,
        source: item.message.attribution ? { channel: 'whatsapp', ...item.message.attribution } : { channel: 'whatsapp' },
      });
      providerIds.push(item.message.providerId);
    }
    const handled = batch.messages.length + batch.statuses.length + batch.identityChanges.length;
    await events.finish(event, handled > 0 ? 'processed' : 'skipped', { providerIds });
    outcome(handled > 0 ? 'processed' : 'skipped');
    ctx.body = { received: true, eventId: event.id, messages: batch.messages.length, skipped: batch.skipped.length };
  });

  return router;
}
