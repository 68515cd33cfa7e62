import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { milestonesBackfillSql } from '../../db/lead-milestones.repository';
import { AnalyticsReport } from '../../domain/analytics.schema';
import { startHarness, type Harness } from '../support/harness';
import { apiSession } from '../support/sign-in';

// GET /analytics on real Postgres: five leads written into the timeline the way the
// projection and activities write them (status changes, handoff offers with their SLA,
// messages both ways, follow-up nudges), their milestones then filled in by the migration's
// backfill, all created on one random day long ago so that no other test's leads fall in the
// window, and the numbers can be worked out by hand. (analytics-milestones.test.ts checks the
// same milestones written live by a lead's workflow.)

interface Ev {
  /** Seconds after the lead's creation. */
  at: number;
  type: 'message' | 'status_change' | 'handoff' | 'nudge';
  direction?: 'in' | 'out';
  actor?: string;
  to?: string;
  slaIn?: number;
  /** A nudge's step as recorded since nudges carry it; without it the backfill counts it. */
  step?: number;
}

describe('GET /analytics: the manager report', () => {
  let h: Harness;
  let manager: Record<string, string>;
  let broker: Record<string, string>;
  // A day in 1990–2016 nobody else writes leads on.
  const day = new Date(Date.UTC(1990, 0, 1) + (randomBytes(2).readUInt16BE() % 9_800) * 86_400_000).toISOString().slice(0, 10);
  const tag = `an${randomBytes(4).toString('hex')}`;
  const leadIds: string[] = [];

  const seed = async (l: { channel: string; source: string; campaign?: string; score: number | null; status: string; owner: string | null; createdAt: Date; events: Ev[] }) => {
    const conn = h.orm.em.fork().getConnection();
    const contactId = randomUUID();
    const leadId = randomUUID();
    leadIds.push(leadId);
    await conn.execute(`insert into contacts (id, name, market, created_at, updated_at) values (?, ?, 'AE', now(), now())`, [contactId, `${tag} ${leadIds.length}`]);
    await conn.execute(
      `insert into leads (id, contact_id, channel, status, score, qualified, owner_id, workflow_id, market, source, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, 'AE', ?, ?, now())`,
      [leadId, contactId, l.channel, l.status, l.score, (l.score ?? 0) >= 60, l.owner, `lead-${leadId}`, JSON.stringify({ channel: l.channel, source: l.source, ...(l.campaign && { campaign_id: l.campaign }) }), l.createdAt],
    );
    let from = 'new';
    let nudges = 0;
    for (const e of l.events) {
      const at = new Date(l.createdAt.getTime() + e.at * 1000);
      const meta =
        e.type === 'status_change'
          ? { from, to: e.to }
          : e.type === 'handoff'
            ? { reason: 'qualified', slaDueAt: new Date(at.getTime() + e.slaIn! * 1000).toISOString() }
            : e.type === 'nudge' && e.step
              ? { nudgeStep: e.step }
              : {};
      if (e.type === 'status_change') from = e.to!;
      const nudge = e.type === 'nudge';
      await conn.execute(`insert into timeline_entries (id, lead_id, type, actor, direction, body, idempotency_key, meta, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
        randomUUID(),
        leadId,
        nudge ? 'message' : e.type,
        nudge ? 'agent' : (e.actor ?? (e.direction === 'in' ? 'lead' : 'system')),
        nudge ? 'out' : (e.direction ?? null),
        e.type === 'message' || nudge ? 'hello' : null,
        nudge ? `lead-${leadId}:nudge:${++nudges}` : null,
        JSON.stringify(meta),
        at,
      ]);
    }
  };
  const stages = (...to: string[]): Ev[] => to.map((s, i) => ({ at: 5 + i, type: 'status_change', to: s }));

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    manager = await apiSession(h.baseUrl, 'manager@example.com');
    broker = await apiSession(h.baseUrl, 'james@example.com');
    const t0 = new Date(`${day}T10:00:00Z`);
    // Won: replied in 30 s, offered at 60 s with a 300 s SLA, claimed at 120 s.
    await seed({ channel: 'whatsapp', source: 'organic', score: 85, status: 'won', owner: 'broker-james', createdAt: t0, events: [
      { at: 0, type: 'message', direction: 'in' }, { at: 30, type: 'message', direction: 'out', actor: 'agent' },
      ...stages('engaged', 'qualified', 'handoff'), { at: 60, type: 'handoff', slaIn: 300 }, { at: 120, type: 'status_change', to: 'claimed' },
      { at: 200, type: 'status_change', to: 'viewing' }, { at: 300, type: 'status_change', to: 'won' },
    ] });
    // Lost after engaging; only the AI answered (in 90 s). Nudged: the lead answered the first
    // nudge, then went quiet through two more (the count starts over after the reply).
    await seed({ channel: 'whatsapp', source: 'organic', score: 40, status: 'lost', owner: null, createdAt: new Date(t0.getTime() + 3_600_000), events: [
      { at: 0, type: 'message', direction: 'in' }, { at: 90, type: 'message', direction: 'out', actor: 'agent' }, ...stages('engaged'),
      { at: 600, type: 'nudge', step: 1 }, { at: 900, type: 'message', direction: 'in' }, { at: 920, type: 'message', direction: 'out', actor: 'agent' },
      { at: 1600, type: 'nudge', step: 1 }, { at: 2600, type: 'nudge', step: 2 }, { at: 2700, type: 'status_change', to: 'lost' },
    ] });
    // A Lead Ads form (nobody wrote first): first reply 10 s after creation, claimed at 400 s, past its 30 s SLA.
    await seed({ channel: 'leadads', source: 'leadads', campaign: tag, score: 72, status: 'claimed', owner: 'broker-priya', createdAt: new Date(t0.getTime() + 7_200_000), events: [
      { at: 10, type: 'message', direction: 'out', actor: 'agent' }, ...stages('qualified', 'handoff'), { at: 20, type: 'handoff', slaIn: 30 },
      { at: 400, type: 'status_change', to: 'claimed' }, { at: 500, type: 'message', direction: 'out', actor: 'broker' },
    ] });
    // A form nobody has answered yet.
    await seed({ channel: 'leadads', source: 'leadads', campaign: tag, score: null, status: 'new', owner: null, createdAt: new Date(`${day}T23:59:59Z`), events: [] });
    // Handed off, waiting for a claim; the AI answered in 20 s. Two nudges sent before nudges
    // carried their step (the backfill counts them), the second answered; then one answered
    // only past the reply window, and two more, the last of them answered.
    await seed({ channel: 'sms', source: 'organic', score: 100, status: 'handoff', owner: null, createdAt: new Date(`${day}T00:00:00Z`), events: [
      { at: 0, type: 'message', direction: 'in' }, { at: 20, type: 'message', direction: 'out', actor: 'agent' }, ...stages('engaged', 'qualified', 'handoff'),
      { at: 30, type: 'handoff', slaIn: 300 }, { at: 100, type: 'nudge' }, { at: 200, type: 'nudge' }, { at: 250, type: 'message', direction: 'in' },
      { at: 300, type: 'nudge', step: 1 }, { at: 300 + 73 * 3600, type: 'message', direction: 'in' },
      { at: 400 + 73 * 3600, type: 'nudge', step: 1 }, { at: 500 + 73 * 3600, type: 'nudge', step: 2 }, { at: 600 + 73 * 3600, type: 'message', direction: 'in' },
    ] });
    // The day before: outside the window.
    await seed({ channel: 'whatsapp', source: 'organic', score: 95, status: 'won', owner: 'broker-james', createdAt: new Date(t0.getTime() - 10 * 3_600_000 - 1000), events: [] });
    const conn = h.orm.em.fork().getConnection();
    const ours = `l.id in (${leadIds.map((id) => `'${id}'`).join(', ')})`;
    for (const sql of milestonesBackfillSql(ours)) await conn.execute(sql);
  });
  afterAll(async () => {
    if (h && leadIds.length) {
      const conn = h.orm.em.fork().getConnection();
      await conn.execute(`delete from timeline_entries where lead_id in (${leadIds.map(() => '?').join(',')})`, leadIds);
      await conn.execute(`delete from leads where id in (${leadIds.map(() => '?').join(',')})`, leadIds);
      await conn.execute(`delete from contacts where name like ?`, [`${tag} %`]);
    }
    await h?.close();
  });

  const report = async (query: string) => {
    const res = await fetch(`${h.baseUrl}/analytics?${query}`, { headers: manager });
    const json: unknown = await res.json();
    expect(res.status, JSON.stringify(json)).toBe(200);
    return AnalyticsReport.parse(json);
  };

  it('counts the funnel by the furthest stage each lead reached, with conversion rates', async () => {
    const r = await report(`from=${day}&to=${day}`);
    expect(r.totalLeads).toBe(5);
    expect(r.funnel.map((f) => [f.stage, f.count, f.rate])).toEqual([
      ['new', 5, null],
      ['engaged', 4, 0.8],
      ['qualified', 3, 0.75],
      ['handoff', 3, 1],
      ['claimed', 2, 0.6667],
      ['viewing', 1, 0.5],
      ['won', 1, 1],
      ['lost', 1, 0.2],
    ]);
  });

  it('breaks leads down by channel, source and campaign, and buckets the scores', async () => {
    const r = await report(`from=${day}&to=${day}`);
    const rows = r.breakdown.map((b) => `${b.dimension}:${b.key}=${b.leads}/${b.qualified}/${b.qualifiedShare}`).sort();
    expect(rows).toEqual(
      ['channel:leadads=2/1/0.5', 'channel:sms=1/1/1', 'channel:whatsapp=2/1/0.5', `campaign:${tag}=2/1/0.5`, 'source:leadads=2/1/0.5', 'source:organic=3/2/0.6667'].sort(),
    );
    expect(r.scores.unscored).toBe(1);
    expect(r.scores.buckets.filter((b) => b.count > 0).map((b) => [b.from, b.count])).toEqual([[40, 1], [70, 1], [80, 1], [90, 1]]);
    expect(r.scores.buckets).toHaveLength(10);
  });

  it('measures speed to lead by channel and broker, SLA compliance and the AI-only share', async () => {
    const r = await report(`from=${day}&to=${day}`);
    const speed = Object.fromEntries(r.speed.map((s) => [`${s.dimension}:${s.key}`, [s.firstReply.count, s.firstReply.p50Seconds, s.firstReply.p90Seconds, s.timeToClaim.count, s.timeToClaim.p50Seconds]]));
    expect(speed).toEqual({
      'channel:whatsapp': [2, 60, 84, 1, 60],
      'channel:leadads': [1, 10, 10, 1, 380],
      'channel:sms': [1, 20, 20, 0, null],
      'broker:broker-james': [1, 30, 30, 1, 60],
      'broker:broker-priya': [1, 10, 10, 1, 380],
    });
    expect(r.sla).toEqual([
      { brokerId: 'broker-james', claims: 1, withinSla: 1, compliance: 1 },
      { brokerId: 'broker-priya', claims: 1, withinSla: 0, compliance: 0 },
    ]);
    expect(r.aiOnly).toEqual({ conversations: 3, aiOnly: 2, share: 0.6667 });
  });

  it('counts nudges and their replies per step of the cadence', async () => {
    const r = await report(`from=${day}&to=${day}`);
    // Step 1: the lost lead's 2 (the first answered), the sms lead's 3 (none: one answer came
    // past the window, one only after the next nudge). Step 2: the lost lead's 1 (unanswered),
    // the sms lead's 2 (both answered, the first counted by the backfill).
    expect(r.followUps).toEqual({
      replyWindowHours: 72,
      steps: [
        { step: 1, sent: 5, replied: 1, replyRate: 0.2 },
        { step: 2, sent: 3, replied: 2, replyRate: 0.6667 },
      ],
    });
  });

  it('exports the same report as CSV', async () => {
    const res = await fetch(`${h.baseUrl}/analytics.csv?from=${day}&to=${day}`, { headers: manager });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(`leadline-analytics-${day}-${day}.csv`);
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('section,dimension,key,metric,value');
    expect(lines).toContain('funnel,stage,claimed,count,2');
    expect(lines).toContain('sla,broker,broker-priya,compliance,0');
    expect(lines).toContain('followUps,nudgeStep,1,replied,1');
    const viaFormat = await fetch(`${h.baseUrl}/analytics?from=${day}&to=${day}&format=csv`, { headers: manager });
    expect((await viaFormat.text()).split('\r\n')).toEqual(lines);
  });

  it('is for managers and admins only, and refuses bad dates with the error envelope', async () => {
    const refused = await fetch(`${h.baseUrl}/analytics?from=${day}&to=${day}`, { headers: broker });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await fetch(`${h.baseUrl}/analytics`)).status).toBe(401);
    for (const q of ['from=2026-13-01', 'from=yesterday', 'from=2026-02-10&to=2026-02-01', 'from=2020-01-01&to=2026-01-01', 'colour=red']) {
      const res = await fetch(`${h.baseUrl}/analytics?${q}`, { headers: manager });
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string; details: unknown } };
      expect(body.error.code, q).toBe('bad_request');
    }
    // No dates: the last 30 days, today included.
    const r = await report('');
    expect(Date.parse(r.to) - Date.parse(r.from)).toBe(29 * 86_400_000);
  });
});
