import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Actor } from '../domain/actor.schema';
import { alertMailKind } from './alert-mail';
import { BrokerRepository } from '../db/broker.repository';
import { LeadRepository } from '../db/lead.repository';
import { resolveTimeZone, type LeadSettings, type LeadTask } from '../domain/lead-state.model';
import { parseQuietHours } from '../domain/quiet-hours';
import type { Env } from '../lib/env';
import { BROKER_EVENTS_CHANNEL, leadEventsChannel, type LeadEvent, type LeadEventType, type LeadLifecycleEvent } from '../lib/lead-events.channel';

// Side effects of a lead's life beyond the conversation: its settings, broker routing, the
// timeline entries for handoffs, reminders and alerts, and tasks. Each write is idempotent
// (keyed by the workflow) so a retried activity never doubles a row; Redis notifications are
// at-least-once and carry the same key for the UI to dedupe.

export interface LeadEventInput {
  leadId: string;
  type: LeadEventType;
  body: string;
  idempotencyKey: string;
  meta?: Record<string, unknown>;
  /** The broker this is for (an offer, a reminder); null for the whole team. */
  brokerId?: string | null;
  /** The person who gave the command this records, when the command named them. */
  by?: Actor;
}

export interface LifecycleDeps {
  orm: MikroORM;
  logger: Logger;
  publish: (channel: string, event: LeadEvent) => Promise<void>;
  /** The worker's configuration. */
  env: Env;
  /**
   * Told when an event queued an alert e-mail (offers, missed claims, the unclaimed pool): the
   * outbox sends it after this activity (activities/alert-mail.outbox.ts). Without it the mail
   * waits for the worker's sweep.
   */
  mailQueued?: () => void;
}

/** The lifecycle durations for a lead, from configuration (time zone resolved per lead). */
export function leadSettingsFromEnv(env: Env, timeZone?: string | null): LeadSettings {
  return {
    slaMs: env.HANDOFF_SLA_MS,
    maxEscalations: env.HANDOFF_MAX_ESCALATIONS,
    followUp: { cadenceMs: env.FOLLOW_UP_CADENCE_MS, nurtureEveryMs: env.FOLLOW_UP_NURTURE_EVERY_MS, nurtureUntilMs: env.FOLLOW_UP_NURTURE_UNTIL_MS, jitterMs: env.FOLLOW_UP_JITTER_MS },
    quietHours: parseQuietHours(env.QUIET_HOURS),
    timeZone: resolveTimeZone(timeZone, env.DEFAULT_TIME_ZONE),
    continueAsNewAfterEvents: env.LEAD_CONTINUE_AS_NEW_AFTER_EVENTS,
    retentionMs: Math.round(env.RETENTION_INACTIVITY_DAYS * 86_400_000),
  };
}

export function createLifecycleActivities(deps: LifecycleDeps) {
  const leads = () => new LeadRepository(deps.orm.em.fork());
  const brokers = () => new BrokerRepository(deps.orm.em.fork());

  async function notify(event: LeadEventInput) {
    const message: LeadLifecycleEvent = { type: event.type, leadId: event.leadId, body: event.body, brokerId: event.brokerId ?? null, by: event.by ?? null, idempotencyKey: event.idempotencyKey, meta: event.meta ?? {} };
    await deps.publish(leadEventsChannel(event.leadId), message);
    await deps.publish(BROKER_EVENTS_CHANNEL, message);
  }

  async function recordLeadEvent(event: LeadEventInput): Promise<{ written: boolean }> {
    const kind = alertMailKind(event);
    const written = await leads().recordLeadEvent({
      leadId: event.leadId,
      type: event.type,
      actor: event.by?.role ?? 'system',
      body: event.body,
      idempotencyKey: event.idempotencyKey,
      meta: { ...event.meta, ...(event.brokerId ? { brokerId: event.brokerId } : {}), ...(event.by ? { by: event.by } : {}) },
      // Queued with the entry, sent after: no SMTP relay inside a lead's workflow task (#13).
      ...(kind && { mail: { kind, brokerId: event.brokerId ?? null } }),
    });
    await notify(event);
    // Only the first write queues a mail: a retried activity finds the entry and queues nothing again.
    if (written && kind) deps.mailQueued?.();
    if (event.type === 'alert') deps.logger.warn({ leadId: event.leadId, key: event.idempotencyKey }, event.body);
    return { written };
  }

  return {
    /** Read once per lead: durations from configuration and the contact's time zone. */
    async loadLeadContext(input: { leadId: string }): Promise<{ settings: LeadSettings }> {
      const timeZone = await leads().contactTimeZone(input.leadId);
      return { settings: leadSettingsFromEnv(deps.env, timeZone) };
    },

    async checkBroker(input: { brokerId: string }): Promise<{ exists: boolean; active: boolean; paused: boolean }> {
      const broker = await brokers().find(input.brokerId);
      return { exists: broker !== null, active: broker?.active ?? false, paused: broker?.paused ?? false };
    },

    /** The next broker in the round robin, skipping those already tried for this handoff. */
    async routeLead(input: { leadId: string; exclude: string[] }): Promise<{ brokerId: string | null }> {
      return { brokerId: await brokers().routeNext(input.exclude, { nowMs: Date.now(), defaultTimeZone: deps.env.DEFAULT_TIME_ZONE }) };
    },

    recordLeadEvent,

    async saveTask(input: { leadId: string; task: LeadTask }): Promise<void> {
      await leads().upsertTask(input.leadId, input.task);
    },

    /** A task came due: the reminder goes on the timeline (once), the row is stamped, the UI is told. */
    async remindTask(input: { leadId: string; task: LeadTask; idempotencyKey: string }): Promise<{ written: boolean }> {
      const { task } = input;
      await leads().upsertTask(input.leadId, { ...task, remindedAt: task.remindedAt ?? new Date().toISOString() });
      return recordLeadEvent({
        leadId: input.leadId,
        type: 'reminder',
        body: `Task due: ${task.title}`,
        idempotencyKey: input.idempotencyKey,
        brokerId: task.assignee,
        meta: { kind: 'task', taskId: task.id, dueAt: task.dueAt },
      });
    },
  };
}

export type LifecycleActivities = ReturnType<typeof createLifecycleActivities>;
