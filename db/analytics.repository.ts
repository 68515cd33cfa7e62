import type { EntityManager } from '@mikro-orm/postgresql';
import { FUNNEL_STAGES, type AnalyticsReport } from '../domain/analytics.schema';

// The manager analytics report, computed in SQL on the read model (leads and their timeline)
// so it answers at any volume: every query starts from the leads created in the window
// (leads_created_at_idx) and reaches the timeline through its per-lead indexes.

/** Leads created in [from, to] (whole UTC days), not deleted. Params: from, to. */
const SCOPE = `select l.* from leads l
  where l.created_at >= (?::date)::timestamp at time zone 'UTC' and l.created_at < (?::date + 1)::timestamp at time zone 'UTC' and l.deleted_at is null`;

/**
 * What each lead's timeline says, in one pass over it (a hash join, not a probe per lead per
 * fact): its first message in, its first move into `claimed`, who wrote to it.
 */
const FACTS = `facts as (
  select s.id, s.channel, s.owner_id, s.created_at,
    min(t.created_at) filter (where t.type = 'message' and t.direction = 'in') as first_in,
    min(t.created_at) filter (where t.type = 'status_change' and t.meta->>'to' = 'claimed') as claimed_at,
    coalesce(bool_or(t.type = 'message' and t.direction = 'out' and t.actor = 'agent'), false) as agent_out,
    coalesce(bool_or(t.type = 'message' and t.direction = 'out' and t.actor <> 'agent'), false) as other_out
  from scope s left join timeline_entries t on t.lead_id = s.id and t.type in ('message', 'status_change')
  group by s.id, s.channel, s.owner_id, s.created_at)`;

const rate = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 10_000) / 10_000 : null);

export class AnalyticsRepository {
  constructor(private readonly em: EntityManager) {}

  async report(from: string, to: string): Promise<AnalyticsReport> {
    const [funnel, breakdown, scores, speed, sla, aiOnly] = await Promise.all([
      this.funnel(from, to),
      this.breakdown(from, to),
      this.scores(from, to),
      this.speed(from, to),
      this.sla(from, to),
      this.aiOnly(from, to),
    ]);
    return { from, to, totalLeads: funnel.total, funnel: funnel.stages, breakdown, scores, speed, sla, aiOnly };
  }

  private run<T>(sql: string, from: string, to: string): Promise<T[]> {
    // Each query is its own statement on the pool, so the six run side by side.
    return this.em.getConnection().execute<T[]>(sql, [from, to], 'all');
  }

  /**
   * The furthest stage each lead reached: its status now and every stage its status changes
   * went through (a lost lead that had been claimed still counts as claimed).
   */
  private async funnel(from: string, to: string) {
    const order = `array['new', 'engaged', 'qualified', 'handoff', 'claimed', 'viewing', 'negotiation', 'won']`;
    const rows = await this.run<Record<string, string>>(
      `with scope as (${SCOPE}),
       reached as (
         select s.id, s.status as stage from scope s
         union all
         select t.lead_id, t.meta->>'to' from timeline_entries t join scope s on s.id = t.lead_id where t.type = 'status_change'
       ),
       per_lead as (
         select id, coalesce(max(array_position(${order}, stage)), 1) as top, bool_or(stage = 'won') as won, bool_or(stage = 'lost') as lost
         from reached group by id
       )
       select count(*) as total,
         count(*) filter (where top >= 2) as engaged, count(*) filter (where top >= 3) as qualified,
         count(*) filter (where top >= 4) as handoff, count(*) filter (where top >= 5) as claimed,
         count(*) filter (where top >= 6) as viewing, count(*) filter (where won) as won, count(*) filter (where lost) as lost
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
   * First reply: the first message out at or after the lead's first message in (a Lead Ads
   * lead writes nothing first: from its creation). Time to claim: from the last handoff offer
   * before the claim (or the lead's creation) to its first move into `claimed`.
   */
  private async speed(from: string, to: string): Promise<AnalyticsReport['speed']> {
    const rows = await this.run<Record<string, string | number | null>>(
      `with scope as (${SCOPE}), ${FACTS},
       timing as (
         select f.id, f.channel, f.owner_id, fo.created_at - coalesce(f.first_in, f.created_at) as reply, f.claimed_at - coalesce(h.created_at, f.created_at) as claim
         from facts f
         left join lateral (select o.created_at from timeline_entries o
           where o.lead_id = f.id and o.type = 'message' and o.direction = 'out' and o.created_at >= coalesce(f.first_in, f.created_at)
           order by o.created_at limit 1) fo on true
         left join lateral (select h.created_at from timeline_entries h
           where f.claimed_at is not null and h.lead_id = f.id and h.type = 'handoff' and h.created_at <= f.claimed_at
           order by h.created_at desc limit 1) h on true
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
      `with scope as (${SCOPE}),
       claims as (
         select s.owner_id, cl.created_at as claimed_at, (
           select (h.meta->>'slaDueAt')::timestamptz from timeline_entries h
           where h.lead_id = s.id and h.type = 'handoff' and h.meta->>'slaDueAt' is not null and h.created_at <= cl.created_at
           order by h.created_at desc limit 1) as due
         from scope s
         join lateral (select min(c.created_at) as created_at from timeline_entries c
           where c.lead_id = s.id and c.type = 'status_change' and c.meta->>'to' = 'claimed') cl on cl.created_at is not null
         where s.owner_id is not null
       )
       select owner_id as broker_id, count(*) as claims, count(*) filter (where claimed_at <= due) as within
       from claims where due is not null group by owner_id order by owner_id`,
      from,
      to,
    );
    return rows.map((r) => ({ brokerId: r.broker_id, claims: Number(r.claims), withinSla: Number(r.within), compliance: rate(Number(r.within), Number(r.claims)) }));
  }

  private async aiOnly(from: string, to: string): Promise<AnalyticsReport['aiOnly']> {
    const rows = await this.run<{ conversations: string; ai_only: string }>(
      `with scope as (${SCOPE}), ${FACTS},
       convo as (
         select owner_id is null and agent_out and not other_out and claimed_at is null as ai_only from facts where first_in is not null
       )
       select count(*) as conversations, count(*) filter (where ai_only) as ai_only from convo`,
      from,
      to,
    );
    const conversations = Number(rows[0]!.conversations);
    const ai = Number(rows[0]!.ai_only);
    return { conversations, aiOnly: ai, share: rate(ai, conversations) };
  }
}

