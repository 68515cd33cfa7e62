import { z } from 'zod';
import type { LeadState } from './lead-state.model';
import { Channel, Market, ScorePart } from './profile.schema';

// The lead as the broker API returns it: one schema for the route that builds it, the OpenAPI
// document (zod-to-openapi reads the `id` in `.meta()` as the component name) and the web app's
// types, so the three cannot drift apart.

const isoTime = z.string().meta({ format: 'date-time' });

/** The language the person writes in (BCP 47: en, ar, hi, hi-Latn), detected from their messages; null until they wrote words. */
const ContactLanguage = z.string().max(16).nullable().meta({ example: 'ar' });

/** A row of the Lead Inbox and a Pipeline card. */
export const LeadSummary = z
  .object({
    id: z.uuid(),
    workflowId: z.string(),
    channel: Channel,
    stage: z.string(),
    score: z.number().int().nullable(),
    qualified: z.boolean(),
    ownerId: z.string().nullable(),
    market: Market,
    contact: z.object({ id: z.uuid(), name: z.string().nullable(), language: ContactLanguage }),
    lastMessageAt: isoTime.nullable(),
    /** The start of the newest inbound message (at most 200 characters). */
    lastMessagePreview: z.string().nullable(),
    nextFollowUpAt: isoTime.nullable(),
    slaDueAt: isoTime.nullable(),
    /** Alerts raised on the lead (failed sends or deliveries, unreachable, fetch failures): the inbox badge. */
    alertCount: z.number().int().min(0),
    lastAlertAt: isoTime.nullable(),
    createdAt: isoTime,
  })
  .meta({ id: 'LeadSummary' });
export type LeadSummary = z.infer<typeof LeadSummary>;

/**
 * An inbox row: the summary and what a broker triages on, computed by the list query. An
 * intersection, so the OpenAPI document keeps LeadSummary as its own component (allOf).
 */
export const LeadListItem = z
  .intersection(
    LeadSummary,
    z.object({
      /** The lead wrote last and nobody has answered since. */
      needsReply: z.boolean(),
      /** The person opted out (STOP) on some channel. */
      optedOut: z.boolean(),
      /** The claim SLA passed with nobody claiming. */
      slaBreached: z.boolean(),
    }),
  )
  .meta({ id: 'LeadListItem' });
export type LeadListItem = z.infer<typeof LeadListItem>;

export const LeadPage = z
  .object({
    items: z.array(LeadListItem),
    /** Every lead the filters match (not just this page). */
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    /** Pass as `cursor` for the next page; null on the last one. */
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'LeadPage' });
export type LeadPage = z.infer<typeof LeadPage>;

/** One row of the lead's timeline: a message either way, a note, a stage change, a handoff, a reminder. */
export const TimelineEntry = z
  .object({
    id: z.uuid(),
    type: z.string(),
    actor: z.string(),
    /** in | out for messages, null otherwise. */
    direction: z.string().nullable(),
    body: z.string().nullable(),
    deliveryStatus: z.string().nullable(),
    /** The provider's message id (wamid…): the transcript links a message to its entry (and its file). */
    providerId: z.string().nullable(),
    meta: z.record(z.string(), z.unknown()).nullable(),
    at: isoTime,
  })
  .meta({ id: 'TimelineEntry' });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** GET /leads/:id: the stored lead (the read model) and its workflow's live state. */
export const LeadDetail = z
  .object({
    lead: LeadSummary.extend({
      contact: z.object({
        id: z.uuid(),
        name: z.string().nullable(),
        language: ContactLanguage,
        phone: z.string().nullable(),
        email: z.string().nullable(),
        waId: z.string().nullable(),
        /** The phone exactly as the person gave it (a Lead Ads answer), when it differs from `phone`. */
        phoneRaw: z.string().nullable(),
        /** What the person typed in a chat: unverified, shown as such, never used to match contacts. */
        claimed: z.object({ name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(), at: isoTime }).nullable(),
        /** The older contact this one is the same person as (a number change that arrived late). */
        samePersonAsId: z.uuid().nullable(),
      }),
      source: z.record(z.string(), z.unknown()).nullable(),
    }),
    /** The stored profile row (the LeadProfile fields and updatedAt). */
    profile: z.record(z.string(), z.unknown()).nullable(),
    qualification: z
      .object({ score: z.number().int(), qualified: z.boolean(), breakdown: z.array(ScorePart), reasons: z.array(z.string()), at: isoTime })
      .nullable(),
    timeline: z.array(TimelineEntry),
    /** Who did what on this lead (the API's audit log), with names. */
    history: z.array(
      z.object({ id: z.string(), action: z.string(), actorName: z.string(), actorRole: z.string(), details: z.record(z.string(), z.unknown()), at: isoTime }),
    ),
    workflow: z.object({
      id: z.string(),
      runId: z.string().nullable(),
      /** RUNNING, COMPLETED, … or UNAVAILABLE when Temporal could not be asked. */
      status: z.string(),
      uiUrl: z.string(),
      /** The workflow's `state` query; null when unavailable. */
      state: z.record(z.string(), z.unknown()).nullable(),
      error: z.string().nullable(),
    }),
  })
  .meta({ id: 'LeadDetail' });

/** The detail as typed code sees it: the live state is the reducer's LeadState, not re-described here. */
export type LeadDetail = Omit<z.infer<typeof LeadDetail>, 'workflow'> & {
  workflow: Omit<z.infer<typeof LeadDetail>['workflow'], 'state'> & { state: LeadState | null };
};
