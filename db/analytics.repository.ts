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
    // Four scans of the window's leads, not one per figure: the plain counts share one, speed and
    // SLA (both per broker) another; the breakdown and the nudges group differently.
    const [totals, breakdown, { speed, sla }, followUps] = await Promise.all([
      this.totals(from, to),
      this.breakdown(from, to),
      this.speedAndSla(from, to),
      this.followUps(from, to),
    ]);
    return { from, to, totalLeads: totals.total, funnel: totals.funnel, breakdown, scores: totals.scores, speed, sla, aiOnly: totals.aiOnly, followUps };
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
   * The funnel, the score buckets and the AI-only share. Funnel: the furthest stage each lead
   * reached, its status now or the furthest its status ever went (a lost lead that had been
   * claimed still counts as claimed), and whether it was ever lost. Scores: ten-point buckets of
   * the current score. AI-only: leads that wrote, answered only by the AI (no message from a
   * person, no owner, never claimed).
   */
  private async totals(from: string, to: string) {
    // One count per combination of the few per-lead facts (a few hundred groups at most), summed
    // here: far cheaper per lead than twenty filtered counts over every row.
    const groups = await this.run<{ top: number; lost: boolean; bucket: number | null; wrote: boolean; ai_only: boolean; n: string }>(
      `with scope as (${SCOPE})
       select greatest(array_position(${FORWARD}, status), array_position(${FORWARD}, furthest_stage), 1) as top,
         status = 'lost' or lost_at is not null as lost,
         case when score is not null then least(greatest(score, 0) / 10, 9) * 10 end as bucket,
         first_message_at is not null as wrote,
         owner_id is null and first_reply_at is not null and first_broker_reply_at is null and claimed_at is null as ai_only,
         count(*) as n
       from scope group by 1, 2, 3, 4, 5`,
      from,
      to,
    );
    const r: Record<string, number> = { total: 0, engaged: 0, qualified: 0, handoff: 0, claimed: 0, viewing: 0, won: 0, lost: 0, unscored: 0, conversations: 0, ai_only: 0 };
    for (let i = 0; i < 10; i++) r[`b${i * 10}`] = 0;
    const reached: Array<[string, number]> = [['engaged', 2], ['qualified', 3], ['handoff', 4], ['claimed', 5], ['viewing', 6], ['won', 8]];
    for (const g of groups) {
      const n = Number(g.n);
      const top = Number(g.top);
      r.total! += n;
      for (const [stage, at] of reached) if (top >= at) r[stage]! += n;
      if (g.lost) r.lost! += n;
      if (g.bucket === null) r.unscored! += n;
      else r[`b${Number(g.bucket)}`]! += n;
      if (g.wrote) r.conversations! += n;
      if (g.wrote && g.ai_only) r.ai_only! += n;
    }
    const counts: Record<string, number> = { new: Number(r.total) };
    for (const s of FUNNEL_STAGES.slice(1)) counts[s] = Number(r[s]);
    counts.lost = Number(r.lost);
    const stages = FUNNEL_STAGES.map((stage, i) => ({
      stage,
      count: counts[stage]!,
      rate: i === 0 ? null : rate(counts[stage]!, counts[FUNNEL_STAGES[i - 1]!]!),
    }));
    const conversations = Number(r.conversations);
    const aiOnly = Number(r.ai_only);
    return {
      total: counts.new!,
      funnel: [...stages, { stage: 'lost' as const, count: counts.lost, rate: rate(counts.lost, counts.new!) }],
      scores: {
        buckets: Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i === 9 ? 100 : i * 10 + 9, count: Number(r[`b${i * 10}`]) })),
        unscored: Number(r.unscored),
      },
      aiOnly: { conversations, aiOnly, share: rate(aiOnly, conversations) },
    };
  }

  private async breakdown(from: string, to: string): Promise<AnalyticsReport['breakdown']> {
    const rows = await this.run<{ channel: string | null; source: string | null; campaign: string | null; leads: string; qualified: string }>(
      `with scope as (${SCOPE}),
       -- Each lead's source fields read out of its JSON once, not once per grouping set.
       facts as (select channel, coalesce(source->>'source', source->>'source_type', 'unknown') as src, source->>'campaign_id' as campaign_id, qualified from scope)
       select channel, src as source, case when grouping(campaign_id) = 0 then coalesce(campaign_id, '') end as campaign,
         grouping(channel) as g_channel, grouping(src) as g_source,
         count(*) as leads, count(*) filter (where qualified) as qualified
       from facts
       group by grouping sets ((channel), (src), (campaign_id))
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

  /**
   * Speed to lead by channel and broker, and SLA compliance per broker. First reply: from the
   * lead's first message (or its creation, when we wrote first: a Lead Ads form) to our first
   * message out. Time to claim: from the last handoff event before the claim (or the lead's
   * creation) to its first move into `claimed`. SLA: the claim against the last offer's SLA.
   */
  private async speedAndSla(from: string, to: string): Promise<Pick<AnalyticsReport, 'speed' | 'sla'>> {
    const rows = await this.run<Record<string, string | number | null>>(
      `with scope as (${SCOPE}),
       timing as (
         select channel, owner_id,
           extract(epoch from first_reply_at - case when first_message_at <= first_reply_at then first_message_at else created_at end) as reply,
           extract(epoch from claimed_at - coalesce(handoff_at, created_at)) as claim,
           case when claimed_at is not null and handoff_sla_due_at is not null then claimed_at <= handoff_sla_due_at end as within_sla
         from scope
       ),
       -- Both percentiles of a figure from one sort of its values, the seconds worked out once per lead.
       figures as (
         select grouping(channel) as g_channel, channel, owner_id,
           count(reply) as replies, percentile_cont(array[0.5, 0.9]) within group (order by reply) as reply_p,
           count(claim) as claims, percentile_cont(array[0.5, 0.9]) within group (order by claim) as claim_p,
           count(within_sla) as sla_claims, count(*) filter (where within_sla) as sla_within
         from timing group by grouping sets ((channel), (owner_id))
       )
       select g_channel, channel, owner_id, replies, reply_p[1] as reply_p50, reply_p[2] as reply_p90,
         claims, claim_p[1] as claim_p50, claim_p[2] as claim_p90, sla_claims, sla_within
       from figures order by 1, 2, 3`,
      from,
      to,
    );
    const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
    const brokers = rows.filter((r) => Number(r.g_channel) !== 0 && r.owner_id !== null);
    return {
      speed: rows
        .filter((r) => Number(r.g_channel) === 0 || r.owner_id !== null)
        .map((r) => ({
          dimension: Number(r.g_channel) === 0 ? ('channel' as const) : ('broker' as const),
          key: String(Number(r.g_channel) === 0 ? r.channel : r.owner_id),
          firstReply: { count: Number(r.replies), p50Seconds: round(r.reply_p50), p90Seconds: round(r.reply_p90) },
          timeToClaim: { count: Number(r.claims), p50Seconds: round(r.claim_p50), p90Seconds: round(r.claim_p90) },
        })),
      sla: brokers
        .filter((r) => Number(r.sla_claims) > 0)
        .map((r) => ({ brokerId: String(r.owner_id), claims: Number(r.sla_claims), withinSla: Number(r.sla_within), compliance: rate(Number(r.sla_within), Number(r.sla_claims)) })),
    };
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
