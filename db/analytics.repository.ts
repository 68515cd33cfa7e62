import type { EntityManager } from '@mikro-orm/postgresql';
import { FUNNEL_STAGES, type AnalyticsReport } from '../domain/analytics.schema';
import { FORWARD, NUDGE_REPLY_WINDOW_HOURS } from './lead-milestones.repository';

// The manager analytics report, computed in SQL on the read model so it answers at any
// volume: every query reads the leads created in the window (leads_created_at_idx) and the
// milestones kept on each lead's row (db/lead-milestones.repository.ts), never the timeline;
// nudges sent and answered included (`nudge_stats`).

/** Leads created in [from, to] (whole UTC days), not deleted. Params: from, to. */
const SCOPE = `select l.* from leads l
  where l.created_at >= (?::date)::timestamp at time zone 'UTC' and l.created_at < (?::date + 1)::timestamp at time zone 'UTC' and l.deleted_at is null`;

const rate = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 10_000) / 10_000 : null);

export class AnalyticsRepository {
  constructor(private readonly em: EntityManager) {}

  async report(from: string, to: string): Promise<AnalyticsReport> {
    const [funnel, breakdown, scores, speed, sla, aiOnly, followUps] = await Promise.all([
      this.funnel(from, to),
      this.breakdown(from, to),
      this.scores(from, to),
      this.speed(from, to),
      this.sla(from, to),
      this.aiOnly(from, to),
      this.followUps(from, to),
    ]);
    return { from, to, totalLeads: funnel.total, funnel: funnel.stages, breakdown, scores, speed, sla, aiOnly, followUps };
  }

  private run<T>(sql: string, from: string, to: string): Promise<T[]> {
    // Each query on its own pooled connection, so they run side by side. Without JIT: at 100k
    // leads Postgres judged them worth compiling, and compiling took longer (~0.6 s) than running.
    // The percentiles sort every lead of the window: in memory, not in temporary files.
    return this.em.fork().transactional(async (tx) => {
      const conn = tx.getConnection();
      const trx = tx.getTransactionContext();
      await conn.execute(`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`, [], 'run', trx);
      return conn.execute<T[]>(sql, [from, to], 'all', trx);
    });
  }

  /**
   * The furthest stage each lead reached: its status now or the furthest its status ever went
   * (a lost lead that had been claimed still counts as claimed), and whether it was ever lost.
   */
  private async funnel(from: string, to: string) {
    const rows = await this.run<Record<string, string>>(
      `with scope as (${SCOPE}),
       per_lead as (
         select greatest(array_position(${FORWARD}, status), array_position(${FORWARD}, furthest_stage), 1) as top,
           status = 'lost' or lost_at is not null as lost
         from scope
       )
       select count(*) as total,
         count(*) filter (where top >= 2) as engaged, count(*) filter (where top >= 3) as qualified,
         count(*) filter (where top >= 4) as handoff, count(*) filter (where top >= 5) as claimed,
         count(*) filter (where top >= 6) as viewing, count(*) filter (where top >= 8) as won, count(*) filter (where lost) as lost
       from per_lead`,
      from,
      to,
    );
    const r = rows[0]!;
    const counts: Record<string, number> = { new: Number(r.total) };
    for (const s of FUNNEL_STAGES.slice(1)) counts[s] = Number(r[s]);
    counts.lost = Number(r.lost);
    const stages = FUNNEL_STAGES.map((stage, i) => ({
      stage,
      count: counts[stage]!,
      rate: i === 0 ? null : rate(counts[stage]!, counts[FUNNEL_STAGES[i - 1]!]!),
    }));
    return { total: counts.new!, stages: [...stages, { stage: 'lost' as const, count: counts.lost, rate: rate(counts.lost, counts.new!) }] };
  }

  private async breakdown(from: string, to: string): Promise<AnalyticsReport['breakdown']> {
    const rows = await this.run<{ channel: string | null; source: string | null; campaign: string | null; leads: string; qualified: string }>(
      `with scope as (${SCOPE})
       select channel, coalesce(source->>'source', source->>'source_type', 'unknown') as source,
         case when grouping(source->>'campaign_id') = 0 then coalesce(source->>'campaign_id', '') end as campaign,
         grouping(channel) as g_channel, grouping(coalesce(source->>'source', source->>'source_type', 'unknown')) as g_source,
         count(*) as leads, count(*) filter (where qualified) as qualified
       from scope
       group by grouping sets ((channel), (coalesce(source->>'source', source->>'source_type', 'unknown')), (source->>'campaign_id'))
       order by leads desc`,
      from,
      to,
    );
    return rows.flatMap((r) => {
      const g = r as unknown as { g_channel: number; g_source: number };
      const dimension = Number(g.g_channel) === 0 ? 'channel' : Number(g.g_source) === 0 ? 'source' : 'campaign';
      const key = dimension === 'channel' ? r.channel : dimension === 'source' ? r.source : r.campaign;
      // Leads that came from no campaign are not a campaign row.
      if (dimension === 'campaign' && !key) return [];
      const leads = Number(r.leads);
      const qualified = Number(r.qualified);
      return [{ dimension, key: key ?? 'unknown', leads, qualified, qualifiedShare: rate(qualified, leads) }];
    });
  }

  private async scores(from: string, to: string): Promise<AnalyticsReport['scores']> {
    const rows = await this.run<{ bucket: number | null; count: string }>(
      `with scope as (${SCOPE})
       select case when score is not null then least(greatest(score, 0) / 10, 9) * 10 end as bucket, count(*) as count from scope group by 1`,
      from,
      to,
    );
    const byBucket = new Map(rows.map((r) => [r.bucket === null ? null : Number(r.bucket), Number(r.count)]));
    const buckets = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i === 9 ? 100 : i * 10 + 9, count: byBucket.get(i * 10) ?? 0 }));
    return { buckets, unscored: byBucket.get(null) ?? 0 };
  }

  /**
   * First reply: from the lead's first message (or its creation, when we wrote first: a Lead
   * Ads form) to our first message out. Time to claim: from the last handoff event before the
   * claim (or the lead's creation) to its first move into `claimed`.
   */
  private async speed(from: string, to: string): Promise<AnalyticsReport['speed']> {
    const rows = await this.run<Record<string, string | number | null>>(
      `with scope as (${SCOPE}),
       timing as (
         select channel, owner_id,
           first_reply_at - case when first_message_at <= first_reply_at then first_message_at else created_at end as reply,
           claimed_at - coalesce(handoff_at, created_at) as claim
         from scope
       )
       select grouping(channel) as g_channel, channel, owner_id,
         count(reply) as replies, percentile_cont(0.5) within group (order by extract(epoch from reply)) as reply_p50,
         percentile_cont(0.9) within group (order by extract(epoch from reply)) as reply_p90,
         count(claim) as claims, percentile_cont(0.5) within group (order by extract(epoch from claim)) as claim_p50,
         percentile_cont(0.9) within group (order by extract(epoch from claim)) as claim_p90
       from timing group by grouping sets ((channel), (owner_id))
       order by 1, 2, 3`,
      from,
      to,
    );
    const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
    return rows
      .filter((r) => Number(r.g_channel) === 0 || r.owner_id !== null)
      .map((r) => ({
        dimension: Number(r.g_channel) === 0 ? ('channel' as const) : ('broker' as const),
        key: String(Number(r.g_channel) === 0 ? r.channel : r.owner_id),
        firstReply: { count: Number(r.replies), p50Seconds: round(r.reply_p50), p90Seconds: round(r.reply_p90) },
        timeToClaim: { count: Number(r.claims), p50Seconds: round(r.claim_p50), p90Seconds: round(r.claim_p90) },
      }));
  }

  /** The claim is measured against the SLA of the last offer made before it. */
  private async sla(from: string, to: string): Promise<AnalyticsReport['sla']> {
    const rows = await this.run<{ broker_id: string; claims: string; within: string }>(
      `with scope as (${SCOPE})
       select owner_id as broker_id, count(*) as claims, count(*) filter (where claimed_at <= handoff_sla_due_at) as within
       from scope where owner_id is not null and claimed_at is not null and handoff_sla_due_at is not null
       group by owner_id order by owner_id`,
      from,
      to,
    );
    return rows.map((r) => ({ brokerId: r.broker_id, claims: Number(r.claims), withinSla: Number(r.within), compliance: rate(Number(r.within), Number(r.claims)) }));
  }

  /** Leads that wrote, answered (only) by the AI: no message from a person, no owner, never claimed. */
  private async aiOnly(from: string, to: string): Promise<AnalyticsReport['aiOnly']> {
    const rows = await this.run<{ conversations: string; ai_only: string }>(
      `with scope as (${SCOPE})
       select count(*) as conversations,
         count(*) filter (where owner_id is null and first_reply_at is not null and first_broker_reply_at is null and claimed_at is null) as ai_only
       from scope where first_message_at is not null`,
      from,
      to,
    );
    const conversations = Number(rows[0]!.conversations);
    const ai = Number(rows[0]!.ai_only);
    return { conversations, aiOnly: ai, share: rate(ai, conversations) };
  }

  /**
   * Replies per nudge step, from each lead's counts (written as nudges go out and the lead
   * answers them: db/lead-milestones.repository.ts).
   */
  private async followUps(from: string, to: string): Promise<AnalyticsReport['followUps']> {
    const rows = await this.run<{ step: string; sent: string; replied: string }>(
      `with scope as (${SCOPE})
       select e.key::int as step, sum((e.value->>'sent')::int) as sent, sum((e.value->>'replied')::int) as replied
       from scope s cross join lateral jsonb_each(s.nudge_stats) e
       where s.nudge_stats is not null group by 1 order by 1`,
      from,
      to,
    );
    return {
      replyWindowHours: NUDGE_REPLY_WINDOW_HOURS,
      steps: rows.map((r) => ({ step: Number(r.step), sent: Number(r.sent), replied: Number(r.replied), replyRate: rate(Number(r.replied), Number(r.sent)) })),
    };
  }
}
