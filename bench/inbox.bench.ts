import { performance } from 'node:perf_hooks';
import { LeadInboxRepository, type InboxQuery } from '../db/lead-inbox.repository';
import { LeadListQuery } from '../domain/lead-inbox.schema';
import { openBenchDatabase } from './bench-database';
import type { BenchRow } from './extraction.bench';

// The Lead Inbox query (GET /leads) at volume: a fresh database with BENCH_INBOX_LEADS leads
// (100k by default), one inbound and most with a reply in the timeline, then each saved view,
// sort and search measured as the API runs it (page of 50 plus the true total). Target: p99
// ≤ 300 ms per request.

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const ms = (n: number) => +n.toFixed(1);

const CASES: Array<{ name: string; query: Record<string, string>; as?: 'broker' }> = [
  { name: 'newest (default)', query: {} },
  { name: 'sort by score', query: { sort: 'score' } },
  { name: 'sort by SLA due', query: { sort: 'sla' } },
  { name: 'sort by last message', query: { sort: 'last_message' } },
  { name: 'view: my hot leads (broker)', query: { owner: 'mine', minScore: '60', sort: 'score' }, as: 'broker' },
  { name: 'view: unclaimed', query: { owner: 'unclaimed', sort: 'score' } },
  { name: 'view: needs reply', query: { needsReply: 'true', sort: 'last_message' } },
  { name: 'view: SLA breached', query: { slaBreached: 'true', sort: 'sla' } },
  { name: 'stage + channel', query: { stage: 'handoff', channel: 'whatsapp', sort: 'score' } },
  { name: 'search: name', query: { q: 'Nasser' } },
  { name: 'search: phone digits', query: { q: '050 1012' } },
  { name: 'search: message text', query: { q: 'penthouse' } },
  { name: 'broker sees pool + own', query: { sort: 'score' }, as: 'broker' },
];

export async function runInboxBench(opts: { leads?: number; rounds?: number } = {}): Promise<BenchRow[]> {
  const leads = opts.leads ?? Number(process.env.BENCH_INBOX_LEADS ?? 100_000);
  const rounds = opts.rounds ?? 30;
  const log = (m: string) => console.error(`[inbox bench] ${m}`);
  const db = await openBenchDatabase(log);
  const { orm } = db;
  try {
    const conn = orm.em.fork().getConnection();
    log(`writing ${leads} leads with their messages`);
    const started = performance.now();
    const names = `array['Omar Nasser','Priya Shah','John Smith','Fatima Ali','Chen Wei','Maria Lopez','Ahmed Khan','Sara Haddad']`;
    const words = `array['villa with a pool','2 bed in the Marina','penthouse with a view','townhouse near schools','studio to rent','office space']`;
    await conn.execute(
      `insert into contacts (id, name, phone, email, market, opted_out_at, created_at, updated_at)
       select gen_random_uuid(), (${names})[1 + i % 8] || ' ' || i, '+97150' || lpad((1000000 + i)::text, 7, '0'),
              'lead' || i || '@example.com', 'AE', case when i % 50 = 0 then now() end, now(), now()
       from generate_series(1, ?) i`,
      [leads],
    );
    await conn.execute(
      `insert into leads (id, contact_id, channel, status, score, qualified, owner_id, workflow_id, market, source, last_message_at, last_message_preview, sla_due_at, created_at, updated_at)
       select gen_random_uuid(), c.id, (array['whatsapp','web','leadads','sms'])[1 + (n / 2) % 4],
              (array['new','engaged','qualified','handoff','claimed','viewing','negotiation','won','lost','nurture'])[1 + (n * 7919) % 10],
              case when n % 7 = 0 then null else (n * 37) % 101 end, (n * 37) % 101 >= 60,
              case when (n * 104729) % 3 = 0 then (array['broker-amina','broker-james','broker-priya'])[1 + (n / 3) % 3] end,
              'lead-' || c.id, 'AE', jsonb_build_object('channel', 'whatsapp', 'source', (array['organic','ad','leadads'])[1 + n % 3], 'campaign_id', 'c' || (n % 40)),
              now() - (n % 10000) * interval '1 minute', (${words})[1 + n % 6],
              case when (n * 31) % 9 = 1 then now() + ((n % 20) - 10) * interval '1 minute' end,
              now() - n * interval '30 seconds', now()
       from (select id, row_number() over () as n from contacts) c`,
    );
    await conn.execute(
      `insert into timeline_entries (id, lead_id, type, actor, direction, body, provider_id, created_at)
       select gen_random_uuid(), l.id, 'message', 'lead', 'in', 'Hello, I am looking for a ' || l.last_message_preview, 'bench-' || l.id, l.last_message_at from leads l`,
    );
    await conn.execute(
      `insert into timeline_entries (id, lead_id, type, actor, direction, body, delivery_status, created_at)
       select gen_random_uuid(), l.id, 'message', 'agent', 'out', 'Thanks! What is your budget?', 'sent', l.last_message_at + interval '5 seconds'
       from leads l where l.score is null or l.score % 4 <> 0`,
    );
    await conn.execute('analyze');
    log(`data written in ${Math.round(performance.now() - started)} ms`);

    const rows: BenchRow[] = [];
    for (const c of CASES) {
      const parsed = LeadListQuery.parse(c.query);
      const query: InboxQuery = { ...parsed, ...(c.as === 'broker' ? { visibleToBroker: 'broker-james', me: 'broker-james' } : {}) };
      const samples: number[] = [];
      let total = 0;
      for (let i = 0; i < rounds + 3; i++) {
        const t0 = performance.now();
        const page = await new LeadInboxRepository(orm.em.fork()).list(query);
        const elapsed = performance.now() - t0;
        if ('error' in page) throw new Error(`bench query refused: ${c.name}`);
        total = page.total;
        if (i >= 3) samples.push(elapsed);
      }
      samples.sort((a, b) => a - b);
      const p99 = percentile(samples, 99);
      rows.push({ bench: 'inbox', query: c.name, leads, matches: total, 'p50 ms': ms(percentile(samples, 50)), 'p99 ms': ms(p99), target: p99 <= 300 ? 'ok (≤ 300)' : 'SLOW (> 300)' });
    }
    return rows;
  } finally {
    await db.close();
  }
}
