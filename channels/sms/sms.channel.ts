import twilio from 'twilio';
import type { DeliveryStatus } from '../../domain/delivery-status.rules';
import { emptyInboundBatch, type InboundBatch } from '../../domain/inbound-batch.types';
import type { InboundKind } from '../../domain/inbound-message.schema';
import type { ChannelDeps } from '../channel.deps';
import { ChannelParseError, type ChannelAdapter, type SendRequest, type SendResult, type WebhookRequest } from '../channel.contract';
import { createTwilioClient, SmsSendError, type SmsClient } from './twilio.client';
import { readFormParams, TwilioInboundParams, TwilioStatusParams } from './twilio-webhook.schema';

// SMS through Twilio behind the channel contract. Inbound: Twilio's form-encoded webhooks,
// signed with X-Twilio-Signature over the public URL it called plus the posted parameters
// (twilio.validateRequest). Messages and status callbacks parse into the same batch every
// channel produces, so an SMS meets the same intake as WhatsApp and one phone number is one
// contact. Outbound: Twilio's Messages API via the official client. Twilio answers STOP/START/
// HELP keywords on long codes itself and blocks sends to someone who said STOP, so this
// channel never sends an opt-out confirmation of its own.

/** Twilio concatenates up to 1600 characters into one message; longer bodies are refused. */
const MAX_SMS_LENGTH = 1600;
const E164 = /^\+[1-9]\d{6,14}$/;

export const SMS_HELP_REPLY = 'Leadline property team: reply here and an adviser will answer. Reply STOP to unsubscribe. Msg & data rates may apply.';

// https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
const STATUS_MAP: Record<string, DeliveryStatus> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

export function mapTwilioStatus(status: string): DeliveryStatus | null {
  return STATUS_MAP[status.toLowerCase()] ?? null;
}

/** The URL Twilio called and signed: the configured public base (behind a proxy) or the request's own origin. */
export function twilioSignedUrl(request: Pick<WebhookRequest, 'origin' | 'originalUrl'>, webhookBaseUrl: string | undefined): string {
  return (webhookBaseUrl ? webhookBaseUrl.replace(/\/+$/, '') : request.origin) + request.originalUrl;
}

/** A TwiML answer to an incoming message: empty (the reply comes later from the agent) or the given texts. */
export function smsTwiml(messages: string[] = []): string {
  const response = new twilio.twiml.MessagingResponse();
  for (const m of messages) response.message(m);
  return response.toString();
}

export function createSmsChannel(deps: ChannelDeps & { client?: SmsClient }): ChannelAdapter {
  const { env, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const client =
    deps.client ??
    (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
      ? createTwilioClient({
          accountSid: env.TWILIO_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          ...(env.TWILIO_API_URL && { apiUrl: env.TWILIO_API_URL }),
          idempotencyStore: deps.idempotency('sms'),
        })
      : undefined);
  const from = env.TWILIO_FROM_NUMBER ? { number: env.TWILIO_FROM_NUMBER } : env.TWILIO_MESSAGING_SERVICE_SID ? { messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID } : undefined;
  const statusCallback = env.TWILIO_WEBHOOK_BASE_URL ? `${env.TWILIO_WEBHOOK_BASE_URL.replace(/\/+$/, '')}/webhooks/sms/status` : undefined;

  function parse(request: WebhookRequest): InboundBatch {
    if (!request.contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new ChannelParseError('invalid_form', 'Body must be application/x-www-form-urlencoded', `content-type ${request.contentType ?? 'missing'}`);
    }
    const params = readFormParams(request.rawBody);
    const batch = emptyInboundBatch();
    const at = now().toISOString();
    const isStatus = 'MessageStatus' in params;
    const parsed = isStatus ? TwilioStatusParams.safeParse(params) : TwilioInboundParams.safeParse(params);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new ChannelParseError('invalid_envelope', 'Body is not a Twilio messaging webhook', detail);
    }
    const p = parsed.data;
    if (env.TWILIO_ACCOUNT_SID && p.AccountSid !== env.TWILIO_ACCOUNT_SID) {
      batch.skipped.push({ reason: 'foreign_account', providerId: p.MessageSid });
      return batch;
    }
    if (isStatus) {
      const s = p as TwilioStatusParams;
      const status = mapTwilioStatus(s.MessageStatus);
      if (!status) batch.skipped.push({ reason: 'unknown_status', providerId: s.MessageSid, type: s.MessageStatus });
      else batch.statuses.push({ providerId: s.MessageSid, status, timestamp: at, ...(s.ErrorCode && { errors: [{ code: Number(s.ErrorCode), ...(s.ErrorMessage && { message: s.ErrorMessage }) }] }) });
      return batch;
    }
    const m = p as TwilioInboundParams;
    // WhatsApp or RCS through Twilio ("whatsapp:+…") is not this channel.
    if (!E164.test(m.From)) {
      batch.skipped.push({ reason: 'unsupported_address', providerId: m.MessageSid, detail: m.From.split(':')[0] ?? '' });
      return batch;
    }
    const mediaUrl = m.NumMedia > 0 ? params.MediaUrl0 : undefined;
    const mimeType = m.NumMedia > 0 ? params.MediaContentType0 : undefined;
    const kind = mediaKind(mimeType);
    const text = m.Body.trim() || (mediaUrl ? `[${kind}]` : '');
    batch.messages.push({
      identity: { phone: m.From, name: m.ProfileName ?? null },
      businessAddress: m.To,
      message: {
        providerId: m.MessageSid,
        channel: 'sms',
        kind: mediaUrl ? kind : 'text',
        text,
        receivedAt: at,
        ...(mediaUrl && { media: { id: mediaUrl, ...(mimeType && { mimeType }), ...(m.Body.trim() && { caption: m.Body.trim() }) } }),
      },
    });
    return batch;
  }

  async function send(request: SendRequest): Promise<SendResult> {
    const { target, content } = request;
    if (!client || !from) {
      logger.warn({ leadId: target.leadId, channel: 'sms' }, 'Twilio is not configured; reply stored only');
      return { status: 'not_configured', providerId: null };
    }
    const to = target.recipient.phone;
    if (!to) return { status: 'failed', providerId: null, error: 'contact has no phone number', unreachable: true };
    if (content.kind === 'template') return { status: 'failed', providerId: null, error: 'SMS has no templates' };
    try {
      const sent = await client.send({
        to,
        from,
        idempotencyKey: request.idempotencyKey,
        ...(statusCallback && { statusCallback }),
        ...(content.kind === 'text' ? { body: content.text.slice(0, MAX_SMS_LENGTH) } : { mediaUrl: [content.url], ...(content.caption && { body: content.caption }) }),
      });
      return { status: 'sent', providerId: sent.sid };
    } catch (err) {
      if (!(err instanceof SmsSendError) || err.retryable) throw err;
      const level = err.reason === 'auth' ? 'error' : 'warn';
      logger[level]({ leadId: target.leadId, reason: err.reason, twilioCode: err.twilioCode, alert: err.reason === 'auth' ? 'twilio_credentials' : undefined }, 'sms send failed permanently');
      return { status: 'failed', providerId: null, error: `${err.reason}: ${err.message}` };
    }
  }

  return {
    name: 'sms',
    rules: { freeFormWindowMs: null, maxTextLength: MAX_SMS_LENGTH, providerHandlesOptOut: true },
    configured: client !== undefined && from !== undefined,
    inbound: {
      source: 'sms',
      signatureHeader: 'X-Twilio-Signature',
      rejectStatus: 403,
      envelopeName: 'Twilio messaging webhook',
      verify(request) {
        const token = env.TWILIO_AUTH_TOKEN;
        // Production refuses to start without the token when SMS is on; without it elsewhere
        // (local development) unsigned bodies are accepted with a warning, as for Meta.
        if (!token) return env.NODE_ENV === 'production' ? 'invalid' : 'unsigned';
        const signature = request.headers['x-twilio-signature'];
        if (!signature) return 'invalid';
        const url = twilioSignedUrl(request, env.TWILIO_WEBHOOK_BASE_URL);
        return twilio.validateRequest(token, signature, url, readFormParams(request.rawBody)) ? 'valid' : 'invalid';
      },
      parse: (request) => ({ ...parse(request), deferred: [] }),
    },
    canReach: (r) => Boolean(r.phone),
    mapStatus: mapTwilioStatus,
    send,
  };
}

function mediaKind(mimeType: string | undefined): InboundKind {
  if (!mimeType) return 'document';
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return 'audio';
  return 'document';
}
