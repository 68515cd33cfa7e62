import type { EntityManager } from '@mikro-orm/postgresql';
import { FORWARD_STAGES } from '../domain/lead-stage.rules';
import { ALL_LEADS, MILESTONES_BACKFILL_SQL, NUDGES_BACKFILL_SQL } from './migrations/Migration20261224090000';

// A lead's milestones on its row (first message in, first reply, last handoff before the
// claim and that offer's SLA, nudges sent and answered per step; the claim, the loss and the
// furthest stage are set in saveProjection), written by the same activities that write the
// timeline, so analytics reads one row per lead instead of scanning every lead's timeline
// (ADR 018). Every write is idempotent and order-proof: the earliest message wins, nothing
// moves once the lead is claimed, and a nudge is counted in the statement that writes its row.

/** A lead's reply counts for a nudge when it comes before the next nudge and within this. */
export const NUDGE_REPLY_WINDOW_HOURS = 72;

/** `nudge_stats` with one more nudge sent (`sent`) or answered (`replied`) at the step `step` (SQL, a text). */
const bumpNudgeStat = (step: string, what: 'sent' | 'replied') =>
  `jsonb_set(coalesce(nudge_stats, '{}'::jsonb), array[${step}], coalesce(nudge_stats->${step}, '{"sent": 0, "replied": 0}'::jsonb)
     || jsonb_build_object('${what}', coalesce((nudge_stats->${step}->>'${what}')::int, 0) + 1))`;

/**
 * An insert of an outbound row (returning `lead_id` and `step`, its nudge step or null) that
 * also counts the nudge as sent at its step, in the same statement: only when the row is new,
 * so a retried send never counts twice, and never a row without the count.
 */
export function countingNudgeSent(insertReturningLeadAndStep: string): string {
  return `with ins as (${insertReturningLeadAndStep})
    update leads set nudge_stats = ${bumpNudgeStat('ins.step', 'sent')} from ins where leads.id = ins.lead_id and ins.step is not null`;
}

/** The stages on the way forward as an SQL array: `array_position` ranks a stage. */
export const FORWARD = `array[${FORWARD_STAGES.map((s) => `'${s}'`).join(', ')}]`;

/**
 * The migration's backfill (the milestones, then the nudges: steps, replies and counts) for the
 * leads `where` picks (on `leads l`): tests and the bench run it on the rows they write straight
 * into the timeline, so those get exactly what the migration gave the leads already there.
 */
export function milestonesBackfillSql(where: string): string[] {
  return [MILESTONES_BACKFILL_SQL, NUDGES_BACKFILL_SQL].map((sql) => sql.replaceAll(ALL_LEADS, `(${where})`));
}

export class LeadMilestonesRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Messages from the lead, on its row in one statement: the earliest one ever recorded and the
   * newest with its preview, each by the provider's timestamp (webhooks may arrive out of order:
   * an older message delivered late moves neither). Then each answers the last nudge before it,
   * when that came within the reply window and had no answer yet: marked on the nudge's row and
   * counted in the same statement, so a retry counts nothing twice.
   */
  async inbound(leadId: string, messages: Array<{ at: Date; text: string }>): Promise<void> {
    if (messages.length === 0) return;
    const conn = this.em.getConnection();
    const first = new Date(Math.min(...messages.map((m) => m.at.getTime())));
    const last = messages.reduce((a, b) => (b.at.getTime() >= a.at.getTime() ? b : a));
    // One write of the row instead of one per milestone (#13): every SET reads the row as it was.
    const newer = `(last_message_at is null or last_message_at <= ?)`;
    const row = await conn.execute<Array<{ nudged: boolean }>>(
      `update leads set
         first_message_at = case when first_message_at is null or first_message_at > ? then ? else first_message_at end,
         last_message_preview = case when ${newer} then ? else last_message_preview end,
         last_message_at = case when ${newer} then ? else last_message_at end,
         updated_at = case when ${newer} then now() else updated_at end
       where id = ? returning nudge_stats is not null as nudged`,
      [first, first, last.at, last.text.slice(0, 200), last.at, last.at, last.at, leadId],
    );
    // A lead never nudged has no nudge to answer (a nudge is counted in the statement that
    // writes it): most messages skip the lookup.
    if (!row[0]?.nudged) return;
    for (const { at } of messages) {
      await conn.execute(
        `with nudge as (
           select id, meta->>'nudgeStep' as step, created_at from timeline_entries
           where lead_id = ? and type = 'message' and direction = 'out' and (meta->>'nudgeStep') is not null and created_at < ?
           order by created_at desc limit 1
         ), marked as (
           update timeline_entries t set meta = t.meta || jsonb_build_object('repliedAt', ?::timestamptz)
           from nudge n where t.id = n.id and t.meta->>'repliedAt' is null and ?::timestamptz < n.created_at + interval '${NUDGE_REPLY_WINDOW_HOURS} hours'
           returning n.step
         )
         update leads set nudge_stats = ${bumpNudgeStat('marked.step', 'replied')} from marked where leads.id = ?`,
        [leadId, at, at, at, leadId],
      );
    }
  }

  /**
   * A message out (the outbound row keyed by `idempotencyKey`): the first reply, and the first
   * a person (not the AI) wrote. Read from the row, so a retried activity writes the same time.
   */
  async outbound(idempotencyKey: string): Promise<void> {
    await this.em.getConnection().execute(
      `update leads l set first_reply_at = least(l.first_reply_at, o.created_at),
         first_broker_reply_at = case when o.actor <> 'agent' then least(l.first_broker_reply_at, o.created_at) else l.first_broker_reply_at end
       from timeline_entries o
       where o.idempotency_key = ? and o.direction = 'out' and l.id = o.lead_id
         and (l.first_reply_at is null or l.first_reply_at > o.created_at or (o.actor <> 'agent' and (l.first_broker_reply_at is null or l.first_broker_reply_at > o.created_at)))`,
      [idempotencyKey],
    );
  }

  /**
   * A handoff event (the row keyed by `idempotencyKey`: an offer with its SLA, or a missed
   * claim): time to claim counts from the last one before the claim, and the claim is held to
   * the SLA of the last offer.
   */
  async handoff(idempotencyKey: string): Promise<void> {
    await this.em.getConnection().execute(
      `update leads l set handoff_at = h.created_at, handoff_sla_due_at = coalesce((h.meta->>'slaDueAt')::timestamptz, l.handoff_sla_due_at)
       from timeline_entries h
       where h.idempotency_key = ? and h.type = 'handoff' and l.id = h.lead_id
         and (l.claimed_at is null or l.claimed_at >= h.created_at) and (l.handoff_at is null or l.handoff_at <= h.created_at)`,
      [idempotencyKey],
    );
  }
}
