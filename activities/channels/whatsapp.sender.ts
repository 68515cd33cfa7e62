import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { LeadRepository } from '../../db/lead.repository';
import type { SendRequest, SendResult } from './channel.sender';
import { WhatsAppSendError, type SendIdempotencyStore, type WhatsAppClient } from './whatsapp.client';

// Replies on WhatsApp through the Cloud API client, from the business number the lead wrote
// to, to their wa_id (or BSUID when that is all we have). Inside the 24-hour customer-service
// window the reply goes as free text; outside it only an approved template may be sent.
// Retryable failures (throughput, 5xx, network) throw so the activity retries with the same
// idempotency key; permanent ones come back as status "failed" so the lead's workflow goes on.

/** Meta's customer-service window: free-form messages only within 24 h of the lead's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 3600 * 1000;

export interface WhatsAppSenderConfig {
  /** Used when the lead never wrote to us on WhatsApp (a Lead Ads lead). */
  defaultPhoneNumberId?: string;
  template?: { name: string; language: string };
}

export function createWhatsAppSender(deps: {
  orm: MikroORM;
  client: WhatsAppClient;
  logger: Logger;
  config: WhatsAppSenderConfig;
  now?: () => Date;
}): (request: SendRequest) => Promise<SendResult> {
  const now = deps.now ?? (() => new Date());
  return async (request) => {
    const repo = new LeadRepository(deps.orm.em.fork());
    const lead = await repo.findLead(request.leadId);
    if (!lead) return { status: 'failed', providerId: null, error: 'lead not found' };
    const contact = lead.contact;
    const to = contact.waId ?? contact.bsuid ?? contact.phone ?? null;
    if (!to) return { status: 'failed', providerId: null, error: 'contact has no WhatsApp identity' };
    const phoneNumberId = lead.waPhoneNumberId ?? deps.config.defaultPhoneNumberId;
    if (!phoneNumberId) {
      deps.logger.warn({ leadId: lead.id }, 'no WhatsApp business number for this lead; reply stored only');
      return { status: 'not_configured', providerId: null };
    }

    const lastInbound = await repo.lastInboundAt(lead.id, 'whatsapp');
    const insideWindow = lastInbound !== null && now().getTime() - lastInbound.getTime() < CUSTOMER_SERVICE_WINDOW_MS;
    const options = { idempotencyKey: request.idempotencyKey };
    const sendTemplate = async (): Promise<SendResult> => {
      const template = deps.config.template;
      if (!template) {
        return { status: 'failed', providerId: null, error: 'outside the 24-hour window and no WHATSAPP_REENGAGE_TEMPLATE configured' };
      }
      const wamid = await deps.client.sendTemplate(phoneNumberId, to, template.name, template.language, undefined, options);
      return { status: 'sent', providerId: wamid };
    };

    try {
      if (!insideWindow) return await sendTemplate();
      const wamid = await deps.client.sendText(phoneNumberId, to, request.text.slice(0, 4096), options);
      return { status: 'sent', providerId: wamid };
    } catch (err) {
      if (!(err instanceof WhatsAppSendError)) throw err;
      if (err.retryable) throw err;
      // Our clock and Meta's disagree about the window: the template is still allowed.
      if (err.reason === 'outside_window' && insideWindow) {
        try {
          return await sendTemplate();
        } catch (again) {
          if (again instanceof WhatsAppSendError && !again.retryable) return failed(deps.logger, lead.id, again);
          throw again;
        }
      }
      return failed(deps.logger, lead.id, err);
    }
  };
}

function failed(logger: Logger, leadId: string, err: WhatsAppSendError): SendResult {
  const level = err.reason === 'auth' ? 'error' : 'warn';
  logger[level]({ leadId, reason: err.reason, metaCode: err.metaCode, alert: err.reason === 'auth' ? 'whatsapp_token' : undefined }, 'whatsapp send failed permanently');
  return { status: 'failed', providerId: null, error: `${err.reason}: ${err.message}` };
}

/** Which wamid an idempotency key produced, shared by every worker through Redis. */
export function createRedisIdempotencyStore(redis: Redis, ttlSeconds = 8 * 24 * 3600): SendIdempotencyStore {
  const key = (k: string) => `wa:sent:${k}`;
  return {
    async get(k) {
      return (await redis.get(key(k))) ?? undefined;
    },
    async set(k, wamid) {
      await redis.set(key(k), wamid, 'EX', ttlSeconds);
    },
  };
}
