import { createHash } from 'node:crypto';
import type { IdentityKeys, InboundBatch } from '../domain/inbound-batch.types';
import type { InboundMessage } from '../domain/inbound-message.schema';
import { cleanJson, cleanText } from '../domain/safe-text';

// Everything a channel (or the Graph API, or web chat) hands the intake is normalised here
// before it reaches Postgres or a workflow: NUL bytes, other control characters and lone
// surrogates removed (domain/safe-text.ts), each field cut to the length below, times that are
// not times replaced by the time of receipt. The raw body stays in inbound_events as received,
// so nothing is lost for good. Limits (characters):

export const FIELD_LIMITS = {
  /** What the lead wrote: kept whole up to here (WhatsApp's own cap is 4,096; the parsers read 20,000). */
  text: 16_000,
  /** Provider ids are dedupe keys and unique columns (varchar 255): longer ones become `h:` + SHA-256, still unique. */
  id: 255,
  name: 200,
  phone: 32,
  email: 254,
  /** Captions, selections, form answers, locations and anything else free-form. */
  field: 4_096,
  /** Form answers and attribution entries per message. */
  entries: 100,
} as const;

/** A provider id that fits the column and still tells ids apart. */
export function boundedId(id: string): string {
  const clean = cleanText(id);
  if (clean.length > 0 && clean.length <= FIELD_LIMITS.id && clean === id) return clean;
  return `h:${createHash('sha256').update(id, 'utf8').digest('hex')}`;
}

const MIN_TIME = Date.UTC(2000, 0, 1);

/** An ISO time we can store; anything unreadable or absurd (a year 5 digits long, before 2000, more than a day ahead) becomes `fallback`. */
export function boundedTime(value: string | undefined, fallback: Date = new Date()): string {
  const ms = value ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms) || ms < MIN_TIME || ms > fallback.getTime() + 86_400_000) return fallback.toISOString();
  return new Date(ms).toISOString();
}

const opt = (v: string | null | undefined, max: number) => (v === null || v === undefined ? v : cleanText(v, max) || null);

export function normalizeIdentity<T extends IdentityKeys>(identity: T): T {
  return {
    ...identity,
    ...(identity.phone !== undefined && { phone: opt(identity.phone, FIELD_LIMITS.phone) }),
    ...(identity.waId !== undefined && { waId: opt(identity.waId, FIELD_LIMITS.id) }),
    ...(identity.bsuid !== undefined && { bsuid: opt(identity.bsuid, FIELD_LIMITS.id) }),
    ...(identity.email !== undefined && { email: opt(identity.email, FIELD_LIMITS.email) }),
    ...(identity.name !== undefined && { name: opt(identity.name, FIELD_LIMITS.name) }),
  };
}

function boundedRecord<V>(record: Record<string, V>, value: (v: V) => V): Record<string, V> {
  return Object.fromEntries(Object.entries(record).slice(0, FIELD_LIMITS.entries).map(([k, v]) => [cleanText(k, FIELD_LIMITS.id), value(v)]));
}

export function normalizeMessage(m: InboundMessage, now: Date = new Date()): InboundMessage {
  const f = (v: string) => cleanText(v, FIELD_LIMITS.field);
  return {
    ...m,
    providerId: boundedId(m.providerId),
    text: cleanText(m.text, FIELD_LIMITS.text),
    receivedAt: boundedTime(m.receivedAt, now),
    ...(m.contextId !== undefined && { contextId: boundedId(m.contextId) }),
    ...(m.media && {
      media: {
        id: f(m.media.id),
        ...(m.media.mimeType !== undefined && { mimeType: cleanText(m.media.mimeType, FIELD_LIMITS.id) }),
        ...(m.media.sha256 !== undefined && { sha256: cleanText(m.media.sha256, FIELD_LIMITS.id) }),
        ...(m.media.caption !== undefined && { caption: f(m.media.caption) }),
        ...(m.media.filename !== undefined && { filename: cleanText(m.media.filename, FIELD_LIMITS.id) }),
      },
    }),
    ...(m.location && {
      location: {
        latitude: Number.isFinite(m.location.latitude) ? m.location.latitude : 0,
        longitude: Number.isFinite(m.location.longitude) ? m.location.longitude : 0,
        ...(m.location.name !== undefined && { name: f(m.location.name) }),
        ...(m.location.address !== undefined && { address: f(m.location.address) }),
      },
    }),
    ...(m.selection && {
      selection: { id: f(m.selection.id), title: f(m.selection.title), ...(m.selection.description !== undefined && { description: f(m.selection.description) }) },
    }),
    ...(m.reaction && { reaction: { messageId: boundedId(m.reaction.messageId), ...(m.reaction.emoji !== undefined && { emoji: cleanText(m.reaction.emoji, 32) }) } }),
    ...(m.formAnswers && { formAnswers: boundedRecord(m.formAnswers, f) }),
    ...(m.attribution && { attribution: boundedRecord(m.attribution, (v) => (typeof v === 'string' ? f(v) : v)) }),
  };
}

/** The whole parsed body, bounded: what processInboundBatch and the routes work from. */
export function normalizeInboundBatch<B extends InboundBatch>(batch: B, now: Date = new Date()): B {
  return {
    ...batch,
    messages: batch.messages.map((item) => ({
      ...item,
      identity: normalizeIdentity(item.identity),
      message: normalizeMessage(item.message, now),
      ...(item.businessAddress !== undefined && { businessAddress: cleanText(item.businessAddress, FIELD_LIMITS.id) }),
    })),
    statuses: batch.statuses.map((s) => ({
      ...s,
      providerId: boundedId(s.providerId),
      timestamp: boundedTime(s.timestamp, now),
      ...(s.callbackData !== undefined && { callbackData: boundedId(s.callbackData) }),
      ...(s.errors && { errors: cleanJson(s.errors, { maxItems: 20, maxString: 1024 }) as unknown[] }),
      ...(s.pricingCategory !== undefined && { pricingCategory: cleanText(s.pricingCategory, 64) }),
    })),
    identityChanges: batch.identityChanges.map((c) => ({
      ...c,
      kind: cleanText(c.kind, 64),
      providerId: boundedId(c.providerId),
      at: boundedTime(c.at, now),
      ...(c.body !== undefined && { body: cleanText(c.body, FIELD_LIMITS.field) }),
      previous: { ...(c.previous.waId && { waId: boundedId(c.previous.waId) }), ...(c.previous.bsuid && { bsuid: boundedId(c.previous.bsuid) }) },
      current: {
        ...(c.current.waId && { waId: boundedId(c.current.waId) }),
        ...(c.current.bsuid && { bsuid: boundedId(c.current.bsuid) }),
        ...(c.current.phoneE164 && { phoneE164: cleanText(c.current.phoneE164, FIELD_LIMITS.phone) }),
      },
    })),
    errors: batch.errors.map((e) => cleanJson(e, { maxItems: 50, maxString: 1024 }) as Record<string, unknown>),
    skipped: batch.skipped.map((s) => cleanJson(s, { maxItems: 50, maxString: 1024 }) as InboundBatch['skipped'][number]),
  };
}
