import { z } from 'zod';
import { readMetaError, type MetaErrorInfo } from '../meta/meta-error';
import { createMemoryIdempotencyStore, type SendIdempotencyStore } from '../../lib/idempotency.store';

// WhatsApp Cloud API sender: POST {baseUrl}/{apiVersion}/{phone-number-id}/messages.
// A recipient is either a phone number / wa_id ("to") or, since the 2026 username rollout,
// a business-scoped user ID ("recipient", e.g. "US.13491208655302741918"); Meta gives "to"
// precedence when both are present, so we send exactly one of them.

export type WhatsAppErrorReason =
  | 'network'
  | 'timeout'
  | 'rate_limited'
  | 'server'
  | 'outside_window'
  | 'auth'
  | 'recipient'
  | 'template'
  | 'invalid_request'
  | 'rejected';

export class WhatsAppSendError extends Error {
  override readonly name = 'WhatsAppSendError';
  readonly reason: WhatsAppErrorReason;
  /** 5xx, 429, network, timeouts and Meta's throughput/temporary codes. */
  readonly retryable: boolean;
  readonly httpStatus: number | undefined;
  readonly metaCode: number | undefined;
  readonly meta: MetaErrorInfo | undefined;

  constructor(reason: WhatsAppErrorReason, message: string, httpStatus?: number, meta?: MetaErrorInfo, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
    this.retryable = RETRYABLE.has(reason);
    this.httpStatus = httpStatus;
    this.metaCode = meta?.code;
    this.meta = meta;
  }
}

const RETRYABLE = new Set<WhatsAppErrorReason>(['network', 'timeout', 'rate_limited', 'server']);

// Cloud API error codes: https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131048, 131056]);
const SERVER_CODES = new Set([1, 2, 131000, 131016, 133004]);
const AUTH_CODES = new Set([0, 3, 10, 190]);
const RECIPIENT_CODES = new Set([131021, 131026, 131030, 131045, 131049, 131050, 131062]);

/** Meta's error code wins over the HTTP status: throughput errors arrive as HTTP 400. */
export function classifyWhatsAppError(httpStatus: number, meta: MetaErrorInfo | undefined): WhatsAppErrorReason {
  const code = meta?.code;
  if (code !== undefined) {
    if (code === 131047) return 'outside_window';
    if (RATE_LIMIT_CODES.has(code)) return 'rate_limited';
    if (SERVER_CODES.has(code)) return 'server';
    if (AUTH_CODES.has(code) || (code >= 200 && code <= 299)) return 'auth';
    if (RECIPIENT_CODES.has(code)) return 'recipient';
    if (code >= 132000 && code < 133000) return 'template';
    if (code === 100 || code === 131008 || code === 131009 || code === 131051) return 'invalid_request';
  }
  if (httpStatus === 429) return 'rate_limited';
  if (httpStatus >= 500) return 'server';
  if (httpStatus === 401) return 'auth';
  if (meta?.isTransient === true) return 'server';
  return 'rejected';
}

/** BSUID: ISO country code, ".", optional "ENT." (parent BSUID), alphanumerics. */
const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;

export function isBsuid(value: string): boolean {
  return BSUID.test(value);
}

/** Builds the recipient part of a send body: `to` for numbers, `recipient` for BSUIDs. */
export function recipientFields(to: string): { to: string } | { recipient: string } {
  const trimmed = to.trim();
  if (isBsuid(trimmed)) return { recipient: trimmed };
  const digits = trimmed.replace(/[\s()+-]/g, '');
  if (!/^\d{6,15}$/.test(digits)) throw new WhatsAppSendError('invalid_request', `not a phone number, wa_id or BSUID: ${JSON.stringify(to)}`);
  return { to: digits };
}

/** Remembered for a key whose send Meta accepted without a readable wamid. */
const ACCEPTED_WITHOUT_ID = 'accepted-without-id';

const SendResponseSchema = z.looseObject({
  messaging_product: z.literal('whatsapp').optional(),
  contacts: z.array(z.looseObject({ input: z.string().optional(), wa_id: z.string().optional(), user_id: z.string().optional() })).optional(),
  messages: z.array(z.looseObject({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});

export interface WhatsAppClientConfig {
  /** e.g. "https://graph.facebook.com". */
  baseUrl: string;
  token: string;
  /** e.g. "v23.0". */
  apiVersion: string;
  timeoutMs?: number;
  idempotencyStore?: SendIdempotencyStore;
  fetch?: typeof fetch;
}

export interface SendOptions {
  /**
   * Per-turn key. Meta's API has no idempotency header, so the key is (1) looked up in the
   * idempotency store to skip a send that already succeeded and (2) sent as
   * biz_opaque_callback_data, which Meta echoes in status webhooks (max 512 chars).
   */
  idempotencyKey?: string;
  /** wamid to quote (reply context). */
  replyTo?: string;
  previewUrl?: boolean;
}

export interface TemplateComponent {
  type: string;
  sub_type?: string;
  index?: string | number;
  parameters?: Array<Record<string, unknown>>;
}

/**
 * Each send resolves to the wamid, or null when Meta answered 200 with a body we cannot read:
 * the message was accepted, so it is not sent again; its id arrives with the status webhooks
 * (matched on biz_opaque_callback_data, our idempotency key).
 */
export interface WhatsAppClient {
  sendText(phoneNumberId: string, to: string, text: string, options?: SendOptions): Promise<string | null>;
  sendTemplate(
    phoneNumberId: string,
    to: string,
    templateName: string,
    languageCode: string,
    components?: TemplateComponent[],
    options?: SendOptions,
  ): Promise<string | null>;
  /** Media by public link (Meta fetches it); the caption is ignored for audio and stickers by Meta. */
  sendMedia(phoneNumberId: string, to: string, media: WhatsAppMedia, options?: SendOptions): Promise<string | null>;
}

export interface WhatsAppMedia {
  type: 'image' | 'video' | 'audio' | 'document';
  link: string;
  caption?: string;
  filename?: string;
}

export function createWhatsAppClient(config: WhatsAppClientConfig): WhatsAppClient {
  const doFetch = config.fetch ?? fetch;
  const base = config.baseUrl.replace(/\/+$/, '');
  const timeoutMs = config.timeoutMs ?? 15_000;
  const store = config.idempotencyStore ?? createMemoryIdempotencyStore();

  async function send(phoneNumberId: string, payload: Record<string, unknown>, options: SendOptions | undefined): Promise<string | null> {
    if (!/^\d+$/.test(phoneNumberId)) throw new WhatsAppSendError('invalid_request', `phone number id must be numeric, got ${JSON.stringify(phoneNumberId)}`);
    const key = options?.idempotencyKey;
    if (key !== undefined) {
      if (key.length === 0 || key.length > 512) throw new WhatsAppSendError('invalid_request', 'idempotencyKey must be 1-512 characters');
      const previous = await store.get(key);
      if (previous) return previous === ACCEPTED_WITHOUT_ID ? null : previous;
    }
    const body = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...payload,
      ...(options?.replyTo !== undefined && { context: { message_id: options.replyTo } }),
      ...(key !== undefined && { biz_opaque_callback_data: key }),
    };
    const url = `${base}/${encodeURIComponent(config.apiVersion)}/${phoneNumberId}/messages`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
      // A timeout may still have sent the message; the caller retries with the same key and
      // Meta's status webhook (biz_opaque_callback_data) shows whether it went out.
      throw new WhatsAppSendError(timedOut ? 'timeout' : 'network', timedOut ? `send timed out after ${timeoutMs} ms` : 'WhatsApp API unreachable', undefined, undefined, { cause });
    }
    const text = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const meta = readMetaError(json);
      const reason = classifyWhatsAppError(res.status, meta);
      throw new WhatsAppSendError(reason, `WhatsApp send failed ${res.status}${meta?.code !== undefined ? ` (#${meta.code})` : ''}: ${meta?.details ?? meta?.message ?? (text.slice(0, 200) || 'no body')}`, res.status, meta);
    }
    const parsed = SendResponseSchema.safeParse(json);
    if (!parsed.success) {
      // 2xx: Meta took the message. Retrying would send it twice (and for ever, if the body
      // never parses); the status webhooks bring its wamid.
      if (key !== undefined) await store.set(key, ACCEPTED_WITHOUT_ID);
      return null;
    }
    const wamid = parsed.data.messages[0]!.id;
    if (key !== undefined) await store.set(key, wamid);
    return wamid;
  }

  return {
    sendText(phoneNumberId, to, text, options) {
      if (text.length === 0 || text.length > 4096) {
        return Promise.reject(new WhatsAppSendError('invalid_request', 'text body must be 1-4096 characters'));
      }
      let recipient;
      try {
        recipient = recipientFields(to);
      } catch (err) {
        return Promise.reject(err);
      }
      return send(phoneNumberId, { ...recipient, type: 'text', text: { body: text, ...(options?.previewUrl !== undefined && { preview_url: options.previewUrl }) } }, options);
    },
    sendTemplate(phoneNumberId, to, templateName, languageCode, components, options) {
      let recipient;
      try {
        recipient = recipientFields(to);
      } catch (err) {
        return Promise.reject(err);
      }
      const template = {
        name: templateName,
        language: { code: languageCode },
        ...(components && components.length > 0 && { components }),
      };
      return send(phoneNumberId, { ...recipient, type: 'template', template }, options);
    },
    sendMedia(phoneNumberId, to, media, options) {
      let recipient;
      try {
        recipient = recipientFields(to);
      } catch (err) {
        return Promise.reject(err);
      }
      const body = {
        link: media.link,
        ...(media.caption && media.type !== 'audio' && { caption: media.caption }),
        ...(media.filename && media.type === 'document' && { filename: media.filename }),
      };
      return send(phoneNumberId, { ...recipient, type: media.type, [media.type]: body }, options);
    },
  };
}
