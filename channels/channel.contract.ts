import type { InboundBatch } from '../domain/inbound-batch.types';
import type { DeliveryStatus } from '../domain/delivery-status.rules';
import type { Channel } from '../domain/profile.schema';

// The one shape every channel has (ADR 007). Inbound: check the provider's signature over the
// exact bytes, then parse them into the normalised batch (domain/inbound-batch.types.ts) that
// intake/ takes in whatever the channel. Outbound: send text, a template or media to a person
// known by their identity keys, with the channel's own rules (WhatsApp's 24-hour window). A
// channel never touches the database, Temporal or Koa: the API and the worker hand it bytes
// and a reply target, and act on what it returns.

/** An HTTP request as a channel sees it: the bytes as received and the URL the provider called. */
export interface WebhookRequest {
  rawBody: Buffer;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** Scheme and host the request reached us on (behind a trusted proxy: the forwarded ones). */
  origin: string;
  /** Path and query as received: with the origin, the URL Twilio signs (Meta signs the body only). */
  originalUrl: string;
  contentType: string | null;
}

/** valid / invalid, or unsigned: no secret is configured and the environment allows it (dev). */
export type SignatureCheck = 'valid' | 'invalid' | 'unsigned';

/** A body the channel cannot read at all (not its envelope): the edge answers 400 and keeps the event. */
export class ChannelParseError extends Error {
  override readonly name = 'ChannelParseError';
  constructor(
    readonly code: 'invalid_json' | 'invalid_form' | 'invalid_envelope',
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface ChannelInbound<Deferred = never> {
  /** Name of the event source in inbound_events. */
  readonly source: string;
  /** Header carrying the signature, named in the 4xx a bad one gets. */
  readonly signatureHeader: string;
  /** What a bad signature gets: Meta's edge answers 401, Twilio documents 403. */
  readonly rejectStatus: 401 | 403;
  /** Human name of the envelope, for errors. */
  readonly envelopeName: string;
  verify(request: WebhookRequest): SignatureCheck;
  /** Throws ChannelParseError for bytes that are not this channel's envelope; never for content. */
  parse(request: WebhookRequest): InboundBatch & { deferred: Deferred[] };
}

/** Who a reply goes to, as loaded once by the reply router. */
export interface Recipient {
  contactId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  waId: string | null;
  bsuid: string | null;
}

/** Everything a sender needs, read in one query by the reply router: senders never reload the lead. */
export interface ReplyTarget {
  leadId: string;
  recipient: Recipient;
  /** Business addresses the lead last wrote to, per channel (WhatsApp phone_number_id). */
  businessAddress: Partial<Record<Channel, string>>;
  /** The lead's last inbound message per channel (ISO time): the window rules read it. */
  lastInboundAt: Partial<Record<Channel, string>>;
}

export type OutboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'template'; name: string; language: string; components?: Array<{ type: string; sub_type?: string; index?: string | number; parameters?: Array<Record<string, unknown>> }> }
  | { kind: 'media'; url: string; mediaType: 'image' | 'video' | 'audio' | 'document'; caption?: string };

export interface SendRequest {
  idempotencyKey: string;
  content: OutboundContent;
  target: ReplyTarget;
}

export interface SendResult {
  /**
   * sent: the provider took it; stored: the channel is read from the timeline and the lead's
   * event stream (web chat); failed: permanently (retryable failures throw instead);
   * not_configured: no credentials for the channel; suppressed_opted_out: the person opted out.
   */
  status: 'sent' | 'stored' | 'failed' | 'not_configured' | 'suppressed_opted_out';
  providerId: string | null;
  error?: string;
  /** Failed because the person cannot be reached here at all (no identity, outside the window with no template). */
  unreachable?: boolean;
}

export interface ChannelRules {
  /** Free text only within this long of the lead's last message on the channel (WhatsApp: 24 h); null: any time. */
  freeFormWindowMs: number | null;
  /** Longest text one send carries; longer replies are cut. */
  maxTextLength: number;
  /** The provider answers STOP itself and blocks later sends (Twilio's opt-out handling): we send no confirmation. */
  providerHandlesOptOut: boolean;
  /** A channel nobody can be answered on (Lead Ads forms): replies go out on the first of these that is configured. */
  replyVia?: readonly Channel[];
}

export interface ChannelAdapter<Deferred = never> {
  readonly name: Channel;
  readonly rules: ChannelRules;
  /** Credentials for sending are present. */
  readonly configured: boolean;
  /** Absent for channels that do not arrive by webhook (web chat has its own session API). */
  readonly inbound?: ChannelInbound<Deferred>;
  /** Whether the person has the identity this channel sends to (a phone for SMS). */
  canReach(recipient: Recipient): boolean;
  /** Maps a provider's delivery status word to ours; null for words that are not one. */
  mapStatus?(providerStatus: string): DeliveryStatus | null;
  /** Retryable provider failures throw (the activity retries with the same key); permanent ones return `failed`. */
  send(request: SendRequest): Promise<SendResult>;
}
