import { z } from 'zod';
import { ActorSchema } from '../domain/actor.schema';

// The Redis pub/sub contract between the worker (publishers) and the API's streams
// (subscribers). Publishers and subscribers deploy separately, so both sides go through this
// schema: objects strip keys they do not know, and a subscriber skips what it cannot read.

/** One channel per lead: its replies, state changes and lifecycle events (the web chat stream listens here). */
export const leadEventsChannel = (leadId: string) => `lead:${leadId}:events`;

/** Where the broker app listens for handoff offers, reminders and alerts across all leads. */
export const BROKER_EVENTS_CHANNEL = 'brokers:events';

/** A reply was delivered (or failed) on the lead's channel. */
const ReplyEvent = z.object({
  type: z.literal('reply'),
  actor: z.enum(['agent', 'broker']),
  idempotencyKey: z.string(),
  /** Provider ids of the inbound messages it answers: a web chat stream waits for its own. */
  inReplyTo: z.array(z.string()),
  text: z.string(),
  status: z.string(),
});

/** Part of a reply still being written; a streaming agent's, nothing publishes it yet. */
const ChunkEvent = z.object({
  type: z.literal('chunk'),
  inReplyTo: z.array(z.string()),
  text: z.string(),
});

/** The lead's projection changed (stage, owner, timers). */
const StateEvent = z.object({
  type: z.literal('state'),
  stage: z.string(),
  ownerId: z.string().nullable(),
  nextFollowUpAt: z.string().nullable(),
  slaDueAt: z.string().nullable(),
});

export const LeadLifecycleEventType = z.enum(['handoff', 'reminder', 'alert', 'note']);
export type LeadEventType = z.infer<typeof LeadLifecycleEventType>;

/** A lifecycle event, published on the lead's channel and on BROKER_EVENTS_CHANNEL. */
export const LeadLifecycleEvent = z.object({
  type: LeadLifecycleEventType,
  leadId: z.string(),
  body: z.string(),
  /** The broker it is for (an offer, a reminder); null for the whole team. */
  brokerId: z.string().nullable(),
  /** The signed-in person behind it, when a person acted. */
  by: ActorSchema.nullable().optional(),
  /** The same key as the timeline entry: delivery is at-least-once, the UI dedupes on it. */
  idempotencyKey: z.string(),
  meta: z.record(z.string(), z.unknown()),
});
export type LeadLifecycleEvent = z.infer<typeof LeadLifecycleEvent>;

/** A lead offered to one named broker (the handoff step's offer, not a missed claim). */
export function isHandoffOffer(event: { type: string; brokerId?: string | null; meta?: Record<string, unknown> }): boolean {
  return event.type === 'handoff' && !!event.brokerId && typeof event.meta?.slaDueAt === 'string' && event.meta.escalation === undefined;
}

export const LeadEvent = z.discriminatedUnion('type', [ReplyEvent, ChunkEvent, StateEvent, LeadLifecycleEvent]);
export type LeadEvent = z.infer<typeof LeadEvent>;

/** The message to publish: checked against the contract, so a bad event fails where it is made. */
export function encodeLeadEvent(event: LeadEvent): string {
  return JSON.stringify(LeadEvent.parse(event));
}

/** A received message, or null when it is not JSON or not an event this version knows. */
export function decodeLeadEvent(raw: string): LeadEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = LeadEvent.safeParse(json);
  return parsed.success ? parsed.data : null;
}
