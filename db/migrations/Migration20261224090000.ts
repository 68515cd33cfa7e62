import { Migration } from '@mikro-orm/migrations';

// Manager analytics at 100k leads (#15 point 7): each lead's milestones on its row, so the
// report reads one row per lead instead of scanning the timeline (3.3 s at 100k leads), filled
// in from the timeline for the leads already there; nudges sent before they carried their step
// get it counted from the lead's last message, as the cadence counts. A lead's reply finds the
// nudge it answers through the nudge index. The writes that keep them current going forward
// are in db/lead-milestones.repository.ts; the backfill below is exported (as text: the
// migrator takes a module's first exported function for the migration) for the tests and the
// bench, which write timeline rows by hand.

/** Stands for the leads to fill in (all of them here); tests put their own leads in its place. */
export const ALL_LEADS = '(/* leads */ true)';

/** First message, first reply (any, and a person's), the claim, the loss, the furthest stage, the last handoff before the claim and its SLA. */
export const MILESTONES_BACKFILL_SQL = `with m as (
    select l.id,
      min(t.created_at) filter (where t.type = 'message' and t.direction = 'in') as first_message_at,
      min(t.created_at) filter (where t.type = 'message' and t.direction = 'out') as first_reply_at,
      min(t.created_at) filter (where t.type = 'message' and t.direction = 'out' and t.actor <> 'agent') as first_broker_reply_at,
      min(t.created_at) filter (where t.type = 'status_change' and t.meta->>'to' = 'claimed') as claimed_at,
      min(t.created_at) filter (where t.type = 'status_change' and t.meta->>'to' = 'lost') as lost_at,
      (array['new', 'engaged', 'qualified', 'handoff', 'claimed', 'viewing', 'negotiation', 'won'])[greatest(max(array_position(array['new', 'engaged', 'qualified', 'handoff', 'claimed', 'viewing', 'negotiation', 'won'], t.meta->>'to')) filter (where t.type = 'status_change'), array_position(array['new', 'engaged', 'qualified', 'handoff', 'claimed', 'viewing', 'negotiation', 'won'], l.status), 1)] as furthest_stage
    from leads l join timeline_entries t on t.lead_id = l.id and t.type in ('message', 'status_change')
    where ${ALL_LEADS}
    group by l.id
  ), h as (
    select l.id,
      max(t.created_at) filter (where m.claimed_at is null or t.created_at <= m.claimed_at) as handoff_at,
      (array_agg((t.meta->>'slaDueAt')::timestamptz order by t.created_at desc)
        filter (where t.meta->>'slaDueAt' is not null and (m.claimed_at is null or t.created_at <= m.claimed_at)))[1] as handoff_sla_due_at
    from leads l join timeline_entries t on t.lead_id = l.id and t.type = 'handoff' left join m on m.id = l.id
    where ${ALL_LEADS}
    group by l.id
  )
  update leads set first_message_at = coalesce(m.first_message_at, leads.first_message_at),
    first_reply_at = coalesce(m.first_reply_at, leads.first_reply_at),
    first_broker_reply_at = coalesce(m.first_broker_reply_at, leads.first_broker_reply_at),
    claimed_at = coalesce(m.claimed_at, leads.claimed_at),
    lost_at = coalesce(m.lost_at, leads.lost_at),
    furthest_stage = coalesce(m.furthest_stage, leads.furthest_stage),
    handoff_at = coalesce(h.handoff_at, leads.handoff_at),
    handoff_sla_due_at = coalesce(h.handoff_sla_due_at, leads.handoff_sla_due_at)
  from m full join h on h.id = m.id
  where leads.id = coalesce(m.id, h.id)`;

/**
 * Each nudge's step (as recorded, or counted from the lead's last message) and the lead's first
 * reply to it (before the next nudge, within 72 hours) on its row, then each lead's
 * `nudge_stats` ({ step: { sent, replied } }) recounted from them.
 */
export const NUDGES_BACKFILL_SQL = `with nudge as (
    select t.id, t.lead_id, t.created_at, t.meta,
      lead(t.created_at) over (partition by t.lead_id order by t.created_at) as next_at,
      (select max(i.created_at) from timeline_entries i
        where i.lead_id = t.lead_id and i.type = 'message' and i.direction = 'in' and i.created_at < t.created_at) as last_in
    from leads l join timeline_entries t on t.lead_id = l.id
    where ${ALL_LEADS} and t.type = 'message' and t.direction = 'out' and (t.idempotency_key like '%:nudge:%' or (t.meta->>'nudgeStep') is not null)
  ), stepped as (
    select n.id, n.lead_id,
      coalesce((n.meta->>'nudgeStep')::int, row_number() over (partition by n.lead_id, n.last_in order by n.created_at)::int) as step,
      (select min(r.created_at) from timeline_entries r
        where r.lead_id = n.lead_id and r.type = 'message' and r.direction = 'in' and r.created_at > n.created_at
          and r.created_at < least(n.next_at, n.created_at + interval '72 hours')) as replied_at
    from nudge n
  ), marked as (
    -- A data-modifying CTE runs whether or not it is read.
    update timeline_entries t set meta = coalesce(t.meta, '{}'::jsonb) || jsonb_build_object('nudgeStep', s.step)
      || case when s.replied_at is null then '{}'::jsonb else jsonb_build_object('repliedAt', s.replied_at) end
    from stepped s where t.id = s.id
  ), stats as (
    select lead_id, jsonb_object_agg(step::text, jsonb_build_object('sent', sent, 'replied', replied)) as nudge_stats
    from (select lead_id, step, count(*) as sent, count(replied_at) as replied from stepped group by lead_id, step) per_step
    group by lead_id
  )
  update leads set nudge_stats = stats.nudge_stats from stats where leads.id = stats.lead_id`;

export class Migration20261224090000 extends Migration {

  override name = 'Migration20261224090000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "leads" add column "first_message_at" timestamptz null, add column "first_reply_at" timestamptz null,
      add column "first_broker_reply_at" timestamptz null, add column "handoff_at" timestamptz null, add column "handoff_sla_due_at" timestamptz null,
      add column "claimed_at" timestamptz null, add column "furthest_stage" varchar(255) null, add column "lost_at" timestamptz null, add column "nudge_stats" jsonb null;`);
    this.addSql(`create index "timeline_entries_nudge_idx" on "timeline_entries" ("lead_id", "created_at") where "type" = 'message' and "direction" = 'out' and ("meta"->>'nudgeStep') is not null;`);
    this.addSql(MILESTONES_BACKFILL_SQL);
    this.addSql(NUDGES_BACKFILL_SQL);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "timeline_entries_nudge_idx";`);
    this.addSql(`alter table "leads" drop column "first_message_at", drop column "first_reply_at", drop column "first_broker_reply_at", drop column "handoff_at",
      drop column "handoff_sla_due_at", drop column "claimed_at", drop column "furthest_stage", drop column "lost_at", drop column "nudge_stats";`);
  }

}
