import type { InboundBatch } from '../../domain/inbound-batch.types';
import { isDeliveryStatus, mapWhatsAppWebhookBody, type WhatsAppInboundBatch } from '../../domain/whatsapp-inbound.mapper';
import type { ChannelDeps } from '../channel.deps';
import { ChannelParseError, type ChannelAdapter, type SendRequest, type SendResult } from '../channel.contract';
import { parseMetaJson, verifyMetaWebhook } from '../meta/meta-webhook';
import { createWhatsAppClient, WhatsAppSendError, type WhatsAppClient } from './whatsapp.client';

// WhatsApp Cloud API behind the channel contract. Replies leave from the business number the
// lead wrote to, to their wa_id (or BSUID when that is all we have). Inside the 24-hour
// customer-service window a reply goes as free text; outside it only an approved template may
// be sent. Retryable failures (throughput, 5xx, network) throw so the activity retries with the
// same idempotency key; permanent ones come back as `failed` so the lead's workflow goes on.

/** Meta's customer-service window: free-form messages only within 24 h of the lead's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 3600 * 1000;

export const WHATSAPP_RULES = { freeFormWindowMs: CUSTOMER_SERVICE_WINDOW_MS, maxTextLength: 4096, providerHandlesOptOut: false } as const;

export function createWhatsAppChannel(deps: ChannelDeps & { client?: WhatsAppClient }): ChannelAdapter {
  const { env, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const client =
    deps.client ??
    (env.WHATSAPP_TOKEN
      ? createWhatsAppClient({ baseUrl: env.META_GRAPH_URL, token: env.WHATSAPP_TOKEN, apiVersion: env.META_API_VERSION, idempotencyStore: deps.idempotency('wa') })
      : undefined);
  const template = env.WHATSAPP_REENGAGE_TEMPLATE ? { name: env.WHATSAPP_REENGAGE_TEMPLATE, language: env.WHATSAPP_REENGAGE_TEMPLATE_LANGUAGE } : undefined;

  async function send(request: SendRequest): Promise<SendResult> {
    const { target, content } = request;
    if (!client) {
      logger.warn({ leadId: target.leadId, channel: 'whatsapp' }, 'WHATSAPP_TOKEN is not set; reply stored only');
      return { status: 'not_configured', providerId: null };
    }
    const { recipient } = target;
    const to = recipient.waId ?? recipient.bsuid ?? recipient.phone;
    if (!to) return { status: 'failed', providerId: null, error: 'contact has no WhatsApp identity', unreachable: true };
    const phoneNumberId = target.businessAddress.whatsapp ?? env.WHATSAPP_PHONE_NUMBER_ID;
    if (!phoneNumberId) {
      logger.warn({ leadId: target.leadId }, 'no WhatsApp business number for this lead; reply stored only');
      return { status: 'not_configured', providerId: null };
    }
    const last = target.lastInboundAt.whatsapp;
    const insideWindow = last !== undefined && now().getTime() - Date.parse(last) < CUSTOMER_SERVICE_WINDOW_MS;
    const options = { idempotencyKey: request.idempotencyKey };
    const sendTemplate = async (): Promise<SendResult> => {
      const chosen = content.kind === 'template' ? content : template;
      if (!chosen) return { status: 'failed', providerId: null, error: 'outside the 24-hour window and no WHATSAPP_REENGAGE_TEMPLATE configured', unreachable: true };
      const components = content.kind === 'template' ? content.components : undefined;
      const wamid = await client.sendTemplate(phoneNumberId, to, chosen.name, chosen.language, components, options);
      return { status: 'sent', providerId: wamid };
    };
    const sendFree = async (): Promise<string | null> => {
      if (content.kind === 'media') return client.sendMedia(phoneNumberId, to, { type: content.mediaType, link: content.url, ...(content.caption && { caption: content.caption }) }, options);
      if (content.kind === 'text') return client.sendText(phoneNumberId, to, content.text.slice(0, WHATSAPP_RULES.maxTextLength), options);
      throw new Error('unreachable: templates are sent by sendTemplate');
    };

    try {
      if (!insideWindow || content.kind === 'template') return await sendTemplate();
      return { status: 'sent', providerId: await sendFree() };
    } catch (err) {
      if (!(err instanceof WhatsAppSendError)) throw err;
      if (err.retryable) throw err;
      // Our clock and Meta's disagree about the window: the template is still allowed.
      if (err.reason === 'outside_window' && insideWindow && content.kind !== 'template') {
        try {
          return await sendTemplate();
        } catch (again) {
          if (again instanceof WhatsAppSendError && !again.retryable) return failed(deps, target.leadId, again);
          throw again;
        }
      }
      return failed(deps, target.leadId, err);
    }
  }

  return {
    name: 'whatsapp',
    rules: WHATSAPP_RULES,
    configured: client !== undefined,
    inbound: {
      source: 'whatsapp',
      signatureHeader: 'X-Hub-Signature-256',
      rejectStatus: 401,
      envelopeName: 'WhatsApp Cloud API webhook',
      verify: (request) => verifyMetaWebhook(request, env.WHATSAPP_APP_SECRET),
      parse(request) {
        return { ...toInboundBatch(mapWhatsAppWebhookBody(parseMetaJson(request.rawBody))), deferred: [] };
      },
    },
    canReach: (r) => Boolean(r.waId ?? r.bsuid ?? r.phone),
    mapStatus: (s) => (isDeliveryStatus(s) ? s : null),
    send,
  };
}

/** The WhatsApp mapper's batch in the channel-neutral form intake takes. */
export function toInboundBatch(batch: WhatsAppInboundBatch): InboundBatch {
  const invalid = batch.skipped.find((s) => s.reason === 'invalid_envelope');
  if (invalid) throw new ChannelParseError('invalid_envelope', 'Body is not a WhatsApp Cloud API webhook envelope', invalid.detail);
  return {
    messages: batch.messages.map((m) => ({
      identity: { phone: m.identity.phoneE164 ?? null, waId: m.identity.waId ?? null, bsuid: m.identity.bsuid ?? null, name: m.identity.profileName ?? null },
      message: m.message,
      businessAddress: m.phoneNumberId,
    })),
    statuses: batch.statuses.map((s) => ({
      providerId: s.wamid,
      status: s.status,
      timestamp: s.timestamp,
      ...(s.callbackData !== undefined && { callbackData: s.callbackData }),
      ...(s.errors && { errors: s.errors }),
      ...(s.pricingCategory !== undefined && { pricingCategory: s.pricingCategory }),
    })),
    identityChanges: batch.identityChanges.map((c) => ({ kind: c.kind, providerId: c.providerId, at: c.at, previous: c.previous, current: c.current, ...(c.body !== undefined && { body: c.body }) })),
    errors: batch.errors.map((e) => ({ ...e })),
    skipped: batch.skipped.map((s) => ({ ...s })),
  };
}

function failed(deps: ChannelDeps, leadId: string, err: WhatsAppSendError): SendResult {
  const level = err.reason === 'auth' ? 'error' : 'warn';
  deps.logger[level]({ leadId, reason: err.reason, metaCode: err.metaCode, alert: err.reason === 'auth' ? 'whatsapp_token' : undefined }, 'whatsapp send failed permanently');
  return { status: 'failed', providerId: null, error: `${err.reason}: ${err.message}` };
}
