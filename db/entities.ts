import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ScorePart } from '../domain/profile.schema';

// Every table of the seed schema plus brokers and the inbound event log. Personal data
// lives here (and in workflow state), never in workflow ids or search attributes.

const timestamps = {
  createdAt: p.datetime().onCreate(() => new Date()),
  updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
};

export const ContactEntity = defineEntity({
  name: 'Contact',
  tableName: 'contacts',
  // Inbox search (`ilike '%…%'` over every name, address and number); created only where
  // pg_trgm is available (migration 20261218090000). The query uses the same expression (db/lead-inbox.repository.ts).
  indexes: [
    {
      name: 'contacts_search_trgm_idx',
      expression: `create index "contacts_search_trgm_idx" on "contacts" using gin ((coalesce("name", '') || ' ' || coalesce("email", '') || ' ' || coalesce("phone", '') || ' ' || coalesce("wa_id", '') || ' ' || coalesce("claimed_name", '') || ' ' || coalesce("claimed_email", '') || ' ' || coalesce("claimed_phone", '')) gin_trgm_ops)`,
    },
  ],
  properties: {
    id: p.uuid().primary(),
    name: p.string().nullable(),
    phone: p.string().nullable().unique(),
    email: p.string().nullable().unique(),
    waId: p.string().nullable().unique(),
    bsuid: p.string().nullable().unique(),
    market: p.string().length(2),
    timeZone: p.string().nullable(),
    /** STOP on any channel: nothing goes out on any channel until a START re-enables one. */
    optedOutAt: p.datetime().nullable(),
    /** Provider id of the message that opted out: its one confirmation may still be sent. */
    optOutMessageId: p.string().nullable(),
    /** Channels re-enabled since the opt-out (START on SMS). */
    optedInChannels: p.array().default([]),
    /** Personal data erased (data rights): the row stays only so its leads count as statistics. */
    erasedAt: p.datetime().nullable(),
    /** The phone exactly as the person gave it (a Lead Ads answer); `phone` holds its E.164 form when it parses. */
    phoneRaw: p.string().nullable(),
    /** Details the person typed in a chat: unverified, shown to brokers, never used to match or merge contacts. */
    claimedName: p.string().nullable(),
    claimedPhone: p.string().nullable(),
    claimedEmail: p.string().nullable(),
    claimedAt: p.datetime().nullable(),
    /** The older contact this one is the same person as (a WhatsApp number change that arrived late). */
    samePersonAsId: p.uuid().nullable(),
    /** The language the person writes in (BCP 47: en, ar, hi, hi-Latn), detected from their own messages: replies and brokers follow it. */
    language: p.string().length(16).nullable(),
    /** When `language` was last detected (it follows the newest message that has a language). */
    languageAt: p.datetime().nullable(),
    ...timestamps,
  },
});
export type Contact = InferEntity<typeof ContactEntity>;

export const BrokerEntity = defineEntity({
  name: 'Broker',
  tableName: 'brokers',
  properties: {
    id: p.string().primary(),
    name: p.string(),
    email: p.string().nullable(),
    active: p.boolean().default(true),
    paused: p.boolean().default(false),
    /** Round robin: the broker routed to longest ago (never first) gets the next lead. */
    lastRoutedAt: p.datetime().nullable(),
    ...timestamps,
  },
});
export type Broker = InferEntity<typeof BrokerEntity>;

export const LeadEntity = defineEntity({
  name: 'Lead',
  tableName: 'leads',
  indexes: [
    { name: 'leads_created_at_idx', expression: 'create index "leads_created_at_idx" on "leads" ("created_at" desc)' },
    { name: 'leads_status_idx', properties: ['status'] },
    // The inbox's sorts and its "SLA breached" view (db/lead-inbox.repository.ts).
    { name: 'leads_score_sort_idx', expression: 'create index "leads_score_sort_idx" on "leads" ((coalesce("score", -1)) desc, "id" desc) where "deleted_at" is null' },
    { name: 'leads_last_message_sort_idx', expression: 'create index "leads_last_message_sort_idx" on "leads" ((coalesce("last_message_at", "created_at")) desc, "id" desc) where "deleted_at" is null' },
    { name: 'leads_sla_due_idx', expression: 'create index "leads_sla_due_idx" on "leads" ("sla_due_at") where "sla_due_at" is not null' },
    { name: 'leads_sla_sort_idx', expression: `create index "leads_sla_sort_idx" on "leads" ((coalesce("sla_due_at", 'infinity'::timestamptz)), "id") where "deleted_at" is null` },
    // Every inbound message looks up the contact's open lead (#13: a sequential scan at 100k leads).
    { name: 'leads_contact_created_idx', expression: 'create index "leads_contact_created_idx" on "leads" ("contact_id", "created_at" desc)' },
  ],
  properties: {
    id: p.uuid().primary(),
    contact: () => p.manyToOne(ContactEntity),
    channel: p.string(),
    status: p.string().default('new'),
    score: p.integer().nullable(),
    qualified: p.boolean().default(false),
    ownerId: p.string().nullable(),
    workflowId: p.string().unique(),
    market: p.string().length(2),
    source: p.json<Record<string, unknown>>().nullable(),
    /** WhatsApp business phone_number_id the lead last wrote to: replies leave from the same number. */
    waPhoneNumberId: p.string().nullable(),
    lastMessageAt: p.datetime().nullable(),
    lastMessagePreview: p.string().nullable(),
    nextFollowUpAt: p.datetime().nullable(),
    slaDueAt: p.datetime().nullable(),
    // Milestones for analytics (db/lead-milestones.repository.ts), kept on the row so reports
    // never scan the timeline.
    /** The lead's first message in. */
    firstMessageAt: p.datetime().nullable(),
    /** Our first message out (the AI's or a person's). */
    firstReplyAt: p.datetime().nullable(),
    /** The first message out written by a person, not the AI. */
    firstBrokerReplyAt: p.datetime().nullable(),
    /** The last handoff event (offer or missed claim) before the claim. */
    handoffAt: p.datetime().nullable(),
    /** The SLA of the last offer before the claim. */
    handoffSlaDueAt: p.datetime().nullable(),
    /** The lead's first move into `claimed`. */
    claimedAt: p.datetime().nullable(),
    /** The furthest stage on the way forward the lead ever reached (`FORWARD_STAGES`). */
    furthestStage: p.string().nullable(),
    /** The lead's first move into `lost`. */
    lostAt: p.datetime().nullable(),
    /** Follow-up nudges per step of the cadence (`"1"`: the first after the lead went quiet): sent, and answered. */
    nudgeStats: p.json<Record<string, { sent: number; replied: number }>>().nullable(),
    /** Alerts raised on the lead (failed sends and deliveries, unreachable, fetch failures): the inbox badge. */
    alertCount: p.integer().default(0),
    lastAlertAt: p.datetime().nullable(),
    deletedAt: p.datetime().nullable(),
    /** Erased (by an admin or by retention): an anonymous statistic from then on. */
    erasedAt: p.datetime().nullable(),
    ...timestamps,
  },
});
export type Lead = InferEntity<typeof LeadEntity>;

export const LeadProfileEntity = defineEntity({
  name: 'LeadProfile',
  tableName: 'lead_profiles',
  properties: {
    lead: () => p.oneToOne(LeadEntity).primary().owner(),
    persona: p.string().nullable(),
    city: p.string().nullable(),
    areas: p.array().default([]),
    propertyType: p.string().nullable(),
    bedsMin: p.integer().nullable(),
    bedsMax: p.integer().nullable(),
    budgetMin: p.bigint('number').nullable(),
    budgetMax: p.bigint('number').nullable(),
    currency: p.string().length(3).nullable(),
    budgetPeriod: p.string().nullable(),
    timeline: p.string().nullable(),
    finance: p.string().nullable(),
    contactValid: p.boolean().default(false),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type LeadProfileRow = InferEntity<typeof LeadProfileEntity>;

export const QualificationEntity = defineEntity({
  name: 'Qualification',
  tableName: 'qualifications',
  indexes: [
    {
      name: 'qualifications_score_created_idx',
      expression: 'create index "qualifications_score_created_idx" on "qualifications" ("score" desc, "created_at" desc)',
    },
    // A lead's latest qualification (lead detail, projection): a sequential scan without it.
    { name: 'qualifications_lead_created_idx', expression: 'create index "qualifications_lead_created_idx" on "qualifications" ("lead_id", "created_at" desc)' },
  ],
  properties: {
    id: p.uuid().primary(),
    lead: () => p.manyToOne(LeadEntity),
    score: p.integer(),
    qualified: p.boolean(),
    breakdown: p.json<ScorePart[]>(),
    reasons: p.json<string[]>(),
    source: p.string().default('agent'),
    by: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type QualificationRow = InferEntity<typeof QualificationEntity>;

export const UnitEntity = defineEntity({
  name: 'Unit',
  tableName: 'units',
  indexes: [
    { name: 'units_location_idx', properties: ['location'] },
    { name: 'units_type_beds_idx', properties: ['propertyType', 'beds'] },
    { name: 'units_price_idx', properties: ['price'] },
    { name: 'units_features_gin_idx', expression: 'create index "units_features_gin_idx" on "units" using gin ("features")' },
  ],
  properties: {
    id: p.string().primary(),
    title: p.string(),
    listing: p.string(),
    city: p.string(),
    area: p.string(),
    location: p.string(),
    propertyType: p.string(),
    beds: p.integer(),
    baths: p.integer(),
    areaM2: p.double(),
    price: p.bigint('number'),
    currency: p.string().length(3),
    rentPeriod: p.string().nullable(),
    completion: p.string(),
    features: p.array().default([]),
    description: p.text(),
    ...timestamps,
  },
});
export type UnitRow = InferEntity<typeof UnitEntity>;

/** The lead's timeline: messages both ways, notes, calls, stage changes, handoffs, reminders. */
export const TimelineEntryEntity = defineEntity({
  name: 'TimelineEntry',
  tableName: 'timeline_entries',
  indexes: [
    { name: 'timeline_entries_lead_created_idx', properties: ['lead', 'createdAt'] },
    // The alerts metric counts these at every scrape.
    { name: 'timeline_entries_alert_idx', expression: `create index "timeline_entries_alert_idx" on "timeline_entries" ("created_at") where "type" = 'alert'` },
    // The inbox's "needs reply": did a reply go out after the lead's last message?
    { name: 'timeline_entries_outbound_idx', expression: `create index "timeline_entries_outbound_idx" on "timeline_entries" ("lead_id", "created_at") where "type" = 'message' and "direction" = 'out'` },
    // A lead's reply finds the nudge it answers (db/lead-milestones.repository.ts).
    { name: 'timeline_entries_nudge_idx', expression: `create index "timeline_entries_nudge_idx" on "timeline_entries" ("lead_id", "created_at") where "type" = 'message' and "direction" = 'out' and ("meta"->>'nudgeStep') is not null` },
    // Inbox search by message text; 'simple' so words in any language match as typed.
    { name: 'timeline_entries_body_fts_idx', expression: `create index "timeline_entries_body_fts_idx" on "timeline_entries" using gin (to_tsvector('simple', coalesce("body", ''))) where "type" = 'message'` },
  ],
  properties: {
    id: p.uuid().primary(),
    lead: () => p.manyToOne(LeadEntity),
    /** message | note | call | status_change | reminder | handoff */
    type: p.string(),
    /** lead | agent | broker | system */
    actor: p.string(),
    direction: p.string().nullable(),
    body: p.text().nullable(),
    /** wamid / leadgen_id / client message id: one row per provider message, ever. */
    providerId: p.string().nullable().unique(),
    /** One outbound reply per workflow turn, however often the activity is retried. */
    idempotencyKey: p.string().nullable().unique(),
    deliveryStatus: p.string().nullable(),
    meta: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type TimelineEntryRow = InferEntity<typeof TimelineEntryEntity>;

export const TaskEntity = defineEntity({
  name: 'Task',
  tableName: 'tasks',
  indexes: [{ name: 'tasks_lead_due_idx', properties: ['lead', 'dueAt'] }],
  properties: {
    id: p.string().primary(),
    lead: () => p.manyToOne(LeadEntity),
    title: p.string(),
    dueAt: p.datetime(),
    assignee: p.string().nullable(),
    completedAt: p.datetime().nullable(),
    remindedAt: p.datetime().nullable(),
    ...timestamps,
  },
});
export type TaskRow = InferEntity<typeof TaskEntity>;

export const SessionEntity = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.uuid().primary(),
    /** Hash of the session key the browser holds; the key itself is never stored. */
    keyHash: p.string().unique(),
    contact: () => p.manyToOne(ContactEntity).nullable(),
    lead: () => p.manyToOne(LeadEntity).nullable(),
    market: p.string().length(2),
    /** The phone the visitor typed (E.164): theirs only once a code sent to it comes back (verifiedAt). */
    claimedPhone: p.string().nullable(),
    claimedEmail: p.string().nullable(),
    verifiedAt: p.datetime().nullable(),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type SessionRow = InferEntity<typeof SessionEntity>;

export const InboundEventEntity = defineEntity({
  name: 'InboundEvent',
  tableName: 'inbound_events',
  indexes: [{ name: 'inbound_events_received_idx', properties: ['receivedAt'] }],
  properties: {
    id: p.uuid().primary(),
    source: p.string(),
    receivedAt: p.datetime().onCreate(() => new Date()),
    rawBody: p.text(),
    contentType: p.string().nullable(),
    signatureValid: p.boolean().nullable(),
    /** received | processed | skipped | failed */
    status: p.string().default('received'),
    error: p.text().nullable(),
    providerIds: p.array().default([]),
    processedAt: p.datetime().nullable(),
  },
});
export type InboundEvent = InferEntity<typeof InboundEventEntity>;

/**
 * An erased person who had opted out, as an HMAC of their E.164 phone or e-mail (the key is
 * SUPPRESSION_HMAC_KEY): the only trace erasure leaves, consulted before any send.
 */
export const SuppressionEntity = defineEntity({
  name: 'Suppression',
  tableName: 'suppressions',
  properties: {
    hash: p.string().length(64).primary(),
    /** phone | email */
    kind: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type SuppressionRow = InferEntity<typeof SuppressionEntity>;

export const allEntities = [
  ContactEntity,
  BrokerEntity,
  LeadEntity,
  LeadProfileEntity,
  QualificationEntity,
  UnitEntity,
  TimelineEntryEntity,
  TaskEntity,
  SessionEntity,
  InboundEventEntity,
  SuppressionEntity,
];
