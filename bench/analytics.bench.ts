import { performance } from 'node:perf_hooks';
import { AnalyticsRepository } from '../db/analytics.repository';
import { milestonesBackfillSql } from '../db/lead-milestones.repository';
import { openBenchDatabase } from './bench-database';
import type { BenchRow } from './extraction.bench';

// Manager analytics (GET /analytics) at volume: a fresh database with BENCH_ANALYTICS_LEADS
// leads (100k by default) created over the last ~35 days, each with its messages both ways,
// status changes, follow-up nudges (some answered), and for the handed-off ones a handoff
// offer and a claim; the leads' milestones filled in from that timeline by the migration's
// backfill; then the whole report (every query, as the API runs them) timed for several
// ranges, beside a baseline measured in the same run: one plain pass over the window's leads.
// Target: p99 ≤ 300 ms. BENCH_ANALYTICS_ROUNDS sets the timed rounds per range (30).

const TARGET_MS = 300;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const ms = (n: number) => +n.toFixed(1);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const CASES: Array<{ name: string; from: string; to: string }> = [
  { name: 'last 30 days (default)', from: day(-29), to: day(0) },
  { name: 'last 7 days', from: day(-6), to: day(0) },
  { name: 'yesterday', from: day(-1), to: day(-1) },
  { name: 'a whole year', from: day(-365), to: day(0) },
];

export async function runAnalyticsBench(opts: { leads?: number; rounds?: number } = {}): Promise<BenchRow[]> {
  const leads = opts.leads ?? Number(process.env.BENCH_ANALYTICS_LEADS ?? 100_000);
  const rounds = opts.rounds ?? Number(process.env.BENCH_ANALYTICS_ROUNDS ?? 30);
  const log = (m: string) => console.error(`[analytics bench] ${m}`);
  const db = await openBenchDatabase(log);
  const { orm } = db;
  try {
    const conn = orm.em.fork().getConnection();
    log(`writing ${leads} leads with their timelines`);
    const started = performance.now();
    await conn.execute(
      `insert into contacts (id, name, market, created_at, updated_at) select gen_random_uuid(), 'Lead ' || i, 'AE', now(), now() from generate_series(1, ?) i`,
      [leads],
    );
    await conn.execute(
      `insert into leads (id, contact_id, channel, status, score, qualified, owner_id, workflow_id, market, source, created_at, updated_at)
       select gen_random_uuid(), c.id, (array['whatsapp','web','leadads','sms'])[1 + (n / 2) % 4],
              (array['new','engaged','qualified','handoff','claimed','viewing','negotiation','won','lost','nurture'])[1 + (n * 7919) % 10],
              case when n % 7 = 0 then null else (n * 37) % 101 end, (n * 37) % 101 >= 60,
              case when (n * 7919) % 10 in (4, 5, 6, 7) then (array['broker-amina','broker-james','broker-priya'])[1 + (n / 3) % 3] end,
              'lead-' || c.id, 'AE', jsonb_build_object('source', (array['organic','ad','leadads'])[1 + n % 3], 'campaign_id', 'c' || (n % 40)),
              now() - n * interval '30 seconds', now()
       from (select id, row_number() over () as n from contacts) c`,
    );
    // Messages: one in (Lead Ads leads write nothing first) and one or two out.
    await conn.execute(
      `insert into timeline_entries (id, lead_id, type, actor, direction, body, created_at)
       select gen_random_uuid(), l.id, 'message', 'lead', 'in', 'Hello', l.created_at from leads l where l.channel <> 'leadads'`,
    );
    await conn.execute(
      `insert into timeline_entries (id, lead_id, type, actor, direction, body, delivery_status, created_at)
       select gen_random_uuid(), l.id, 'message', case when l.owner_id is not null and g = 2 then 'broker' else 'agent' end, 'out', 'Thanks!', 'sent',
              l.created_at + (g * 7 + (hashtext(l.id::text) & 63)) * interval '1 second'
       from leads l cross join generate_series(1, 2) g where l.status <> 'new'`,
    );
    // Status changes along the way to the lead's stage, a handoff offer and the claim.
    await conn.execute(
      `insert into timeline_entries (id, lead_id, type, actor, body, meta, created_at)
       select gen_random_uuid(), l.id, 'status_change', 'system', s.prev || ' → ' || s.stage, jsonb_build_object('from', s.prev, 'to', s.stage),
              l.created_at + s.k * interval '1 minute'
       from leads l cross join lateral (
         select k, stage, lag(stage, 1, 'new') over (order by k) as prev
         from unnest(array['engaged','qualified','handoff','claimed','viewing','negotiation','won']) with ordinality as u(stage, k)
       ) s
       where s.k <= array_position(array['new','engaged','qualified','handoff','claimed','viewing','negotiation','won'], l.status) - 1`,
    );
    await conn.execute(
      `insert into timeline_entries (id, lead_id, type, actor, body, meta, created_at)
       select gen_random_uuid(), l.id, 'handoff', 'system', 'Handed over', jsonb_build_object('reason', 'qualified', 'slaDueAt', to_jsonb(l.created_at + interval '3 minutes 30 seconds')),
              l.created_at + interval '3 minutes 1 second'
       from leads l where l.owner_id is not null or l.status = 'handoff'`,
    );
    // Nudges to two leads in three that engaged: one to four steps of the cadence (10 min, 1, 3
    // and 7 days after our last answer), a quarter of them answered five minutes later.
    await conn.execute(
      `insert into timeline_entries (id, lead_id, type, actor, direction, body, idempotency_key, delivery_status, meta, created_at)
       select gen_random_uuid(), l.id, 'message', 'agent', 'out', 'Still looking?', l.workflow_id || ':nudge:' || g, 'sent',
              jsonb_build_object('channel', l.channel, 'nudgeStep', g), l.created_at + (array[interval '10 minutes', interval '1 day', interval '3 days', interval '7 days'])[g]
       from leads l cross join generate_series(1, 4) g
       where l.status <> 'new' and hashtext(l.id::text) % 3 <> 0 and g <= 1 + (hashtext(l.id::text) & 3)`,
    );
    await conn.execute(
      `insert into timeline_entries (id, lead_id, type, actor, direction, body, created_at)
       select gen_random_uuid(), n.lead_id, 'message', 'lead', 'in', 'Yes', n.created_at + interval '5 minutes'
       from timeline_entries n where n.type = 'message' and n.direction = 'out' and (n.meta->>'nudgeStep') is not null and hashtext(n.id::text) & 3 = 0`,
    );
    for (const sql of milestonesBackfillSql('true')) await conn.execute(sql);
    // The backfill rewrote every row: vacuum as autovacuum would, so the scans read live rows only.
    await conn.execute('vacuum analyze');
    log(`data written in ${Math.round(performance.now() - started)} ms`);

    const rows: BenchRow[] = [];
    for (const c of CASES) {
      const samples: number[] = [];
      const baseline: number[] = [];
      let total = 0;
      for (let i = 0; i < rounds + 3; i++) {
        // The baseline: one pass over the window's leads, the least any report can cost.
        const b0 = performance.now();
        await conn.execute(
          `select count(*), max(first_reply_at) from leads where created_at >= (?::date)::timestamp at time zone 'UTC' and created_at < (?::date + 1)::timestamp at time zone 'UTC' and deleted_at is null`,
          [c.from, c.to],
        );
        const t0 = performance.now();
        const report = await new AnalyticsRepository(orm.em.fork()).report(c.from, c.to);
        const elapsed = performance.now() - t0;
        total = report.totalLeads;
        if (i >= 3) {
          samples.push(elapsed);
          baseline.push(t0 - b0);
        }
      }
      samples.sort((a, b) => a - b);
      baseline.sort((a, b) => a - b);
      const p99 = percentile(samples, 99);
      rows.push({
        bench: 'analytics',
        query: c.name,
        leads,
        'in range': total,
        'baseline p50 ms': ms(percentile(baseline, 50)),
        'p50 ms': ms(percentile(samples, 50)),
        'p99 ms': ms(p99),
        'p50 / baseline': +(percentile(samples, 50) / Math.max(percentile(baseline, 50), 0.1)).toFixed(1),
        'p99 / target': +(p99 / TARGET_MS).toFixed(2),
        target: p99 <= TARGET_MS ? `ok (≤ ${TARGET_MS})` : `SLOW (> ${TARGET_MS})`,
      });
    }
    return rows;
  } finally {
    await db.close();
  }
}
