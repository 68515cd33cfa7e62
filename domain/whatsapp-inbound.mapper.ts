import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { InboundMessage } from './inbound-message.schema';
import {
  WaButtonSchema,
  WaInteractiveSchema,
  WaLocationSchema,
  WaMediaSchema,
  WaMessageBaseSchema,
  WaMessagesValueSchema,
  WaOrderSchema,
  WaReactionSchema,
  WaSharedContactsSchema,
  WaStatusSchema,
  WaSystemSchema,
  WaTextSchema,
  WhatsAppWebhookEnvelope,
  type WaContact,
  type WaError,
  type WaMessageBase,
  type WaReferral,
} from './whatsapp-webhook.schema';

// Pure mapping of a WhatsApp Cloud API webhook into what the workflow needs: inbound
// messages in the channel-neutral InboundMessage form, delivery statuses, identity changes,
// and a list of everything skipped with a reason. Never throws on content: Meta retries a
// webhook we fail, so an exception here would replay the whole batch for ever.

export interface WaIdentity {
  waId?: string;
  /** Business-scoped user ID (contacts[].user_id / messages[].from_user_id). */
  bsuid?: string;
  parentBsuid?: string;
  phoneE164?: string;
  profileName?: string;
  username?: string;
}

export interface MappedWaMessage {
  identity: WaIdentity;
  phoneNumberId: string;
  message: InboundMessage;
}

export const WA_DELIVERY_STATUSES = ['sent', 'delivered', 'read', 'played', 'failed'] as const;
export type WaDeliveryStatus = (typeof WA_DELIVERY_STATUSES)[number];

export interface WaErrorSummary {
  code: number;
  title?: string;
  message?: string;
  details?: string;
}

export interface MappedWaStatus {
  wamid: string;
  status: WaDeliveryStatus;
  /** ISO date-time. */
  timestamp: string;
  phoneNumberId: string;
  recipientId?: string;
  recipientUserId?: string;
  /** Echo of what we sent as biz_opaque_callback_data (our idempotency key). */
  callbackData?: string;
  pricingCategory?: string;
  errors?: WaErrorSummary[];
}

export type IdentityChangeKind = 'phone_number_changed' | 'user_id_changed' | 'identity_key_changed';

export interface WaIdentityChange {
  kind: IdentityChangeKind;
  /** wamid of the system message (dedupe key). */
  providerId: string;
  phoneNumberId: string;
  at: string;
  previous: { waId?: string; bsuid?: string; parentBsuid?: string };
  current: { waId?: string; bsuid?: string; parentBsuid?: string; phoneE164?: string };
  body?: string;
}

export type WaSkipReason =
  | 'invalid_envelope'
  | 'unhandled_field'
  | 'invalid_change_value'
  | 'invalid_message'
  | 'invalid_status'
  | 'unsupported_type'
  | 'unknown_status'
  | 'unknown_system_type'
  | 'no_sender_identity';

export interface WaSkipped {
  reason: WaSkipReason;
  providerId?: string;
  field?: string;
  type?: string;
  detail?: string;
  errors?: WaErrorSummary[];
}

export interface WaWebhookError extends WaErrorSummary {
  phoneNumberId: string;
}

export interface WhatsAppInboundBatch {
  messages: MappedWaMessage[];
  statuses: MappedWaStatus[];
  identityChanges: WaIdentityChange[];
  /** Webhook-level errors (value.errors): problems Meta reports about the number/app, not a message. */
  errors: WaWebhookError[];
  skipped: WaSkipped[];
}

const emptyBatch = (): WhatsAppInboundBatch => ({ messages: [], statuses: [], identityChanges: [], errors: [], skipped: [] });

/** Parse an already JSON-decoded body and map it; an invalid envelope becomes one skipped item. */
export function mapWhatsAppWebhookBody(body: unknown): WhatsAppInboundBatch {
  const parsed = WhatsAppWebhookEnvelope.safeParse(body);
  if (!parsed.success) {
    const batch = emptyBatch();
    batch.skipped.push({ reason: 'invalid_envelope', detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    return batch;
  }
  return mapWhatsAppWebhook(parsed.data);
}

export function mapWhatsAppWebhook(envelope: WhatsAppWebhookEnvelope): WhatsAppInboundBatch {
  const batch = emptyBatch();
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') {
        batch.skipped.push({ reason: 'unhandled_field', field: change.field });
        continue;
      }
      const value = WaMessagesValueSchema.safeParse(change.value);
      if (!value.success) {
        batch.skipped.push({ reason: 'invalid_change_value', field: change.field, detail: issues(value.error) });
        continue;
      }
      const { metadata, contacts = [], messages = [], statuses = [], errors = [] } = value.data;
      const phoneNumberId = metadata.phone_number_id;
      for (const raw of messages) mapOneMessage(raw, contacts, phoneNumberId, batch);
      for (const raw of statuses) mapOneStatus(raw, phoneNumberId, batch);
      for (const e of errors) batch.errors.push({ phoneNumberId, ...summarizeError(e) });
    }
  }
  return batch;
}

function mapOneMessage(raw: unknown, contacts: WaContact[], phoneNumberId: string, batch: WhatsAppInboundBatch): void {
  const base = WaMessageBaseSchema.safeParse(raw);
  if (!base.success) {
    batch.skipped.push({ reason: 'invalid_message', providerId: idOf(raw), detail: issues(base.error) });
    return;
  }
  const m = base.data;
  const receivedAt = unixToIso(m.timestamp);

  if (m.type === 'system') {
    const change = mapSystem(m, phoneNumberId, receivedAt);
    if ('reason' in change) batch.skipped.push(change);
    else batch.identityChanges.push(change);
    return;
  }

  const identity = resolveIdentity(m, contacts);
  if (!identity.waId && !identity.bsuid) {
    batch.skipped.push({ reason: 'no_sender_identity', providerId: m.id, type: m.type });
    return;
  }

  const content = mapContent(m);
  if ('reason' in content) {
    batch.skipped.push(content);
    return;
  }

  const message: InboundMessage = {
    providerId: m.id,
    channel: 'whatsapp',
    receivedAt,
    ...content,
  };
  if (m.context?.id && !message.contextId) message.contextId = m.context.id;
  const attribution = { ...referralAttribution(m.referral), ...content.attribution };
  if (m.context?.referred_product?.product_retailer_id) {
    attribution.referred_product_id = m.context.referred_product.product_retailer_id;
    if (m.context.referred_product.catalog_id) attribution.referred_catalog_id = m.context.referred_product.catalog_id;
  }
  if (Object.keys(attribution).length > 0) message.attribution = attribution;
  batch.messages.push({ identity, phoneNumberId, message });
}

type Content = Omit<InboundMessage, 'providerId' | 'channel' | 'receivedAt'>;

function mapContent(m: WaMessageBase): Content | WaSkipped {
  const rec = m as Record<string, unknown>;
  const invalid = (detail: string): WaSkipped => ({ reason: 'invalid_message', providerId: m.id, type: m.type, detail });
  switch (m.type) {
    case 'text': {
      const t = WaTextSchema.safeParse(rec.text);
      if (!t.success) return invalid(issues(t.error));
      return { kind: 'text', text: t.data.body };
    }
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker': {
      const media = WaMediaSchema.safeParse(rec[m.type]);
      if (!media.success) return invalid(issues(media.error));
      const d = media.data;
      return {
        kind: m.type,
        text: describeMedia(m.type, d.caption, d.filename, d.voice === true, d.animated === true),
        media: {
          id: d.id,
          ...(d.mime_type !== undefined && { mimeType: d.mime_type }),
          ...(d.sha256 !== undefined && { sha256: d.sha256 }),
          ...(d.caption !== undefined && { caption: d.caption }),
          ...(d.filename !== undefined && { filename: d.filename }),
        },
      };
    }
    case 'location': {
      const l = WaLocationSchema.safeParse(rec.location);
      if (!l.success) return invalid(issues(l.error));
      const { latitude, longitude, name, address } = l.data;
      const label = [name, address].filter(Boolean).join(', ');
      return {
        kind: 'location',
        text: `[location: ${label ? `${label} ` : ''}(${latitude}, ${longitude})]`,
        location: { latitude, longitude, ...(name !== undefined && { name }), ...(address !== undefined && { address }) },
      };
    }
    case 'contacts': {
      const c = WaSharedContactsSchema.safeParse(rec.contacts);
      if (!c.success) return invalid(issues(c.error));
      const cards = c.data.map((card) => {
        const name = card.name?.formatted_name ?? [card.name?.first_name, card.name?.last_name].filter(Boolean).join(' ');
        const phones = (card.phones ?? []).map((p) => p.phone ?? (p.wa_id ? `+${p.wa_id}` : undefined)).filter(Boolean);
        const emails = (card.emails ?? []).map((e) => e.email).filter(Boolean);
        return [name || 'unnamed', ...phones, ...emails].join(', ');
      });
      const sharedContacts = c.data.map((card) => ({
        ...((card.name?.formatted_name ?? [card.name?.first_name, card.name?.last_name].filter(Boolean).join(' ')) && {
          name: card.name?.formatted_name ?? [card.name?.first_name, card.name?.last_name].filter(Boolean).join(' '),
        }),
        phones: (card.phones ?? []).map((p) => p.phone ?? (p.wa_id ? `+${p.wa_id}` : '')).filter(Boolean),
        waIds: (card.phones ?? []).map((p) => p.wa_id ?? '').filter(Boolean),
        emails: (card.emails ?? []).map((e) => e.email ?? '').filter(Boolean),
      }));
      return { kind: 'contacts', text: `[shared contact: ${cards.join(' | ')}]`, sharedContacts };
    }
    case 'reaction': {
      const r = WaReactionSchema.safeParse(rec.reaction);
      if (!r.success) return invalid(issues(r.error));
      const { message_id, emoji } = r.data;
      return {
        kind: 'reaction',
        text: emoji ? `[reacted ${emoji} to a message]` : '[removed a reaction]',
        contextId: message_id,
        reaction: { messageId: message_id, ...(emoji !== undefined && { emoji }) },
      };
    }
    case 'interactive': {
      const i = WaInteractiveSchema.safeParse(rec.interactive);
      if (!i.success) {
        const sub = (rec.interactive as { type?: unknown } | undefined)?.type;
        return { kind: 'unsupported', text: `[unsupported message: interactive.${typeof sub === 'string' ? sub : 'unknown'}]` };
      }
      const it = i.data;
      if (it.type === 'button_reply') {
        return { kind: 'interactive', text: it.button_reply.title, selection: { id: it.button_reply.id, title: it.button_reply.title } };
      }
      if (it.type === 'list_reply') {
        const { id, title, description } = it.list_reply;
        return { kind: 'interactive', text: title, selection: { id, title, ...(description !== undefined && { description }) } };
      }
      return mapNfmReply(it.nfm_reply);
    }
    case 'button': {
      const b = WaButtonSchema.safeParse(rec.button);
      if (!b.success) return invalid(issues(b.error));
      return { kind: 'button', text: b.data.text, selection: { id: b.data.payload ?? b.data.text, title: b.data.text } };
    }
    case 'order': {
      const o = WaOrderSchema.safeParse(rec.order);
      if (!o.success) return invalid(issues(o.error));
      const items = o.data.product_items.map(
        (p) => `${p.quantity} × ${p.product_retailer_id}${p.item_price !== undefined ? ` @ ${p.item_price}${p.currency ? ` ${p.currency}` : ''}` : ''}`,
      );
      const note = o.data.text ? ` — ${o.data.text}` : '';
      return {
        kind: 'order',
        text: `[order: ${items.join('; ')}]${note}`,
        ...(o.data.catalog_id !== undefined && { attribution: { catalog_id: o.data.catalog_id } }),
      };
    }
    case 'request_welcome':
    case 'revoke':
      // Not something the lead wrote: opening the chat, deleting a message.
      return { reason: 'unsupported_type', providerId: m.id, type: m.type };
    default: {
      // 'unsupported' (edits, polls…), 'unknown' and future types: kept as a message, so the
      // person gets a contact, a lead and a polite ask for text (Meta's errors say what it was).
      const type = m.type === 'unsupported' ? unsupportedSubtype(rec) : m.type;
      return { kind: 'unsupported', text: `[unsupported message: ${type}]` };
    }
  }
}

function mapNfmReply(nfm: { name?: string; body?: string; response_json: string }): Content {
  let parsed: unknown;
  try {
    parsed = JSON.parse(nfm.response_json);
  } catch {
    parsed = undefined;
  }
  const formAnswers: Record<string, string> = {};
  const attribution: Record<string, string> = {};
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      // flow_token is our own correlation id, not something the lead said.
      if (key === 'flow_token') {
        if (typeof value === 'string') attribution.flow_token = value;
        continue;
      }
      const s = answerToString(value);
      if (s !== undefined) formAnswers[key] = s;
    }
  }
  if (nfm.name) attribution.flow_name = nfm.name;
  const lines = Object.entries(formAnswers).map(([k, v]) => `${k}: ${v}`);
  return {
    kind: 'nfm_reply',
    text: lines.length > 0 ? lines.join('\n') : `[form reply${nfm.body ? `: ${nfm.body}` : ''}]`,
    formAnswers,
    ...(Object.keys(attribution).length > 0 && { attribution }),
  };
}

function answerToString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => answerToString(v) ?? '').filter(Boolean).join(', ');
  return JSON.stringify(value);
}

function mapSystem(m: WaMessageBase, phoneNumberId: string, at: string): WaIdentityChange | WaSkipped {
  const s = WaSystemSchema.safeParse((m as Record<string, unknown>).system);
  if (!s.success) return { reason: 'invalid_message', providerId: m.id, type: 'system', detail: issues(s.error) };
  const sys = s.data;
  const body = sys.body !== undefined ? { body: sys.body } : {};
  const previous = compact({ waId: m.from, bsuid: sys.previous_user_id ?? m.from_user_id, parentBsuid: sys.previous_parent_user_id });
  switch (sys.type) {
    case 'user_changed_number':
    case 'customer_changed_number': {
      const newWaId = sys.wa_id ?? (sys.new_wa_id !== undefined ? String(sys.new_wa_id) : undefined);
      if (!newWaId) return { reason: 'invalid_message', providerId: m.id, type: `system.${sys.type}`, detail: 'no new wa_id' };
      const current = compact({ waId: newWaId, bsuid: sys.user_id, parentBsuid: sys.parent_user_id, phoneE164: waIdToE164(newWaId) });
      return { kind: 'phone_number_changed', providerId: m.id, phoneNumberId, at, previous, current, ...body };
    }
    case 'user_changed_user_id': {
      if (!sys.user_id) return { reason: 'invalid_message', providerId: m.id, type: 'system.user_changed_user_id', detail: 'no new user_id' };
      const current = compact({ bsuid: sys.user_id, parentBsuid: sys.parent_user_id });
      return { kind: 'user_id_changed', providerId: m.id, phoneNumberId, at, previous, current, ...body };
    }
    case 'customer_identity_changed': {
      // Same person and number, new device/security key: nothing to re-key, but worth a note.
      const waId = m.from ?? sys.customer;
      const same = compact({ waId, phoneE164: waId ? waIdToE164(waId) : undefined });
      return { kind: 'identity_key_changed', providerId: m.id, phoneNumberId, at, previous: compact({ waId }), current: same, ...body };
    }
    default:
      return { reason: 'unknown_system_type', providerId: m.id, type: `system.${sys.type ?? 'unknown'}` };
  }
}

function mapOneStatus(raw: unknown, phoneNumberId: string, batch: WhatsAppInboundBatch): void {
  const parsed = WaStatusSchema.safeParse(raw);
  if (!parsed.success) {
    batch.skipped.push({ reason: 'invalid_status', providerId: idOf(raw), detail: issues(parsed.error) });
    return;
  }
  const s = parsed.data;
  if (!isDeliveryStatus(s.status)) {
    batch.skipped.push({ reason: 'unknown_status', providerId: s.id, type: s.status });
    return;
  }
  batch.statuses.push({
    wamid: s.id,
    status: s.status,
    timestamp: unixToIso(s.timestamp),
    phoneNumberId,
    ...(s.recipient_id !== undefined && { recipientId: s.recipient_id }),
    ...(s.recipient_user_id !== undefined && { recipientUserId: s.recipient_user_id }),
    ...(s.biz_opaque_callback_data !== undefined && { callbackData: s.biz_opaque_callback_data }),
    ...(s.pricing?.category !== undefined && { pricingCategory: s.pricing.category }),
    ...(s.errors && s.errors.length > 0 && { errors: s.errors.map(summarizeError) }),
  });
}

// ---------------------------------------------------------------------------------------
// Status ordering.
//
// Meta does not guarantee order, and with several devices a `delivered` can follow a
// `failed` (or the reverse). Rule:
//   sent(1) < delivered(2) < read(3) < played(4): only a strictly higher rank replaces.
//   failed(rank 1.5): replaces nothing-yet or `sent` only (the message never arrived);
//     it never replaces delivered/read/played, which are proof the lead has it.
//   After `failed`, a later delivered/read/played DOES replace it (same proof), but a
//     late `sent` does not un-fail it.
// So `failed` is terminal unless the message is later shown to have arrived.
// ---------------------------------------------------------------------------------------

const STATUS_RANK: Record<WaDeliveryStatus, number> = { sent: 1, failed: 1.5, delivered: 2, read: 3, played: 4 };

export function whatsAppStatusRank(status: WaDeliveryStatus): number {
  return STATUS_RANK[status];
}

export function isDeliveryStatus(value: string): value is WaDeliveryStatus {
  return (WA_DELIVERY_STATUSES as readonly string[]).includes(value);
}

/** True when `incoming` should replace `current` (undefined = nothing recorded yet). */
export function shouldApplyWhatsAppStatus(current: WaDeliveryStatus | undefined, incoming: WaDeliveryStatus): boolean {
  if (current === undefined) return true;
  return STATUS_RANK[incoming] > STATUS_RANK[current];
}

/** The status to keep after seeing `incoming`. */
export function mergeWhatsAppStatus(current: WaDeliveryStatus | undefined, incoming: WaDeliveryStatus): WaDeliveryStatus {
  return shouldApplyWhatsAppStatus(current, incoming) ? incoming : (current as WaDeliveryStatus);
}

// ---------------------------------------------------------------------------------------

function resolveIdentity(m: WaMessageBase, contacts: WaContact[]): WaIdentity {
  const contact =
    contacts.find((c) => (m.from !== undefined && c.wa_id === m.from) || (m.from_user_id !== undefined && c.user_id === m.from_user_id)) ??
    (contacts.length === 1 ? contacts[0] : undefined);
  const waId = m.from ?? contact?.wa_id;
  return compact({
    waId,
    bsuid: m.from_user_id ?? contact?.user_id,
    parentBsuid: contact?.parent_user_id,
    phoneE164: waId ? waIdToE164(waId) : undefined,
    profileName: contact?.profile?.name,
    username: contact?.profile?.username,
  });
}

/** wa_id is the number in international form without "+"; not every wa_id is a valid number. */
export function waIdToE164(waId: string): string | undefined {
  if (!/^\d{6,15}$/.test(waId)) return undefined;
  const phone = parsePhoneNumberFromString(`+${waId}`);
  return phone && phone.isPossible() ? phone.number : undefined;
}

function describeMedia(type: string, caption: string | undefined, filename: string | undefined, voice: boolean, animated: boolean): string {
  const label =
    type === 'image' ? 'photo' : type === 'audio' ? (voice ? 'voice message' : 'audio') : type === 'sticker' ? (animated ? 'animated sticker' : 'sticker') : type;
  const parts = [filename, caption].filter((p): p is string => Boolean(p && p.trim()));
  return parts.length > 0 ? `[${label}: ${parts.join(' — ')}]` : `[${label}]`;
}

function referralAttribution(referral: WaReferral | undefined): Record<string, string> {
  if (!referral) return {};
  const out: Record<string, string> = { source: 'ctwa' };
  for (const key of ['source_url', 'source_id', 'source_type', 'headline', 'body', 'media_type', 'ctwa_clid'] as const) {
    const v = referral[key];
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

function unsupportedSubtype(rec: Record<string, unknown>): string {
  const u = rec.unsupported as { type?: unknown } | undefined;
  return typeof u?.type === 'string' ? u.type : 'unknown';
}

function summarizeError(e: WaError): WaErrorSummary {
  return compact({ code: e.code, title: e.title, message: e.message, details: e.error_data?.details }) as WaErrorSummary;
}

/** A timestamp no Date can hold (Meta's are seconds since 1970) reads as the epoch; the intake replaces it with the time of receipt. */
function unixToIso(seconds: string): string {
  const ms = Number(seconds) * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : new Date(0).toISOString();
}

function idOf(raw: unknown): string | undefined {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}

function issues(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

function compact<T extends Record<string, unknown>>(obj: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
