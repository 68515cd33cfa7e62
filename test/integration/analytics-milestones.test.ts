import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsReport } from '../../domain/analytics.schema';
import { eventually, startHarness, type Harness } from '../support/harness';
import { apiSession } from '../support/sign-in';
import { fastSettings, inbound, post, startLead, timeline, waitForState } from './lead-support';

// The milestones analytics reads, written live by a lead's workflow and its activities (no
// row written by hand): a WhatsApp lead answered by the agent, nudged, answering the first
// nudge, then claimed. The report then reads them off the lead's row.

type Time = Date | string;
/** Milliseconds of a timestamp column, however the driver returned it. */
const ms = (v: Time | null) => (v === null ? null : new Date(v).getTime());

interface MilestoneRow {
  created_at: Time;
  first_message_at: Time | null;
  first_reply_at: Time | null;
  first_broker_reply_at: Time | null;
  claimed_at: Time | null;
  furthest_stage: string | null;
  nudge_stats: Record<string, { sent: number; replied: number }> | null;
}

describe('lead milestones for analytics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const row = async (leadId: string) =>
    (
      await h.orm.em
        .fork()
        .getConnection()
        .execute<MilestoneRow[]>(
          'select created_at, first_message_at, first_reply_at, first_broker_reply_at, claimed_at, furthest_stage, nudge_stats from leads where id = ?',
          [leadId],
        )
    )[0]!;

  it('keeps first message, first reply, claim and nudges per step on the lead, and the report reads them', async () => {
    const settings = fastSettings({ followUp: { cadenceMs: [1500, 3000], nurtureEveryMs: 0, nurtureUntilMs: 3000 } });
    const lead = await startLead(h, { first: 'Hi, I am looking for a 2 bed apartment in Dubai Marina', settings });
    await waitForState(lead, (s) => s.followUp.sent === 1, 'the first nudge');
    // The lead answers the first nudge; two more go out unanswered (steps 1 and 2 again).
    await lead.handle.signal('inbound', inbound('Sorry, was busy. Budget is 2M AED'));
    await waitForState(lead, (s) => s.followUp.sent === 3 && s.followUp.dueAt === null, 'two more nudges, then none left');
    const nudges = await eventually(async () => {
      const rows = (await timeline(h, lead.leadId, 'message')).filter((r) => r.idempotency_key?.includes(':nudge:'));
      return rows.length === 3 ? rows : undefined;
    }, 'three nudges on the timeline');
    expect(nudges.map((n) => n.meta?.nudgeStep)).toEqual([1, 1, 2]);
    expect(nudges.map((n) => typeof n.meta?.repliedAt)).toEqual(['string', 'undefined', 'undefined']);

    const claim = await post(h, `/leads/${lead.leadId}/claim`, { brokerId: 'broker-james' });
    expect(claim.status).toBe(200);
    const m = await eventually(async () => {
      const r = await row(lead.leadId);
      return r.claimed_at ? r : undefined;
    }, 'the claim on the lead row');

    const conn = h.orm.em.fork().getConnection();
    const facts = (
      await conn.execute<{ first_in: Time; first_out: Time; claimed: Time }[]>(
        `select min(created_at) filter (where type = 'message' and direction = 'in') as first_in,
           min(created_at) filter (where type = 'message' and direction = 'out') as first_out,
           min(created_at) filter (where type = 'status_change' and meta->>'to' = 'claimed') as claimed
         from timeline_entries where lead_id = ?`,
        [lead.leadId],
      )
    )[0]!;
    // The same times the timeline holds: written with the rows, not worked out later.
    expect(ms(m.first_message_at)).toBe(ms(facts.first_in));
    expect(ms(m.first_reply_at)).toBe(ms(facts.first_out));
    expect(ms(m.claimed_at)).toBe(ms(facts.claimed));
    expect(ms(m.first_message_at)!).toBeLessThan(ms(m.first_reply_at)!);
    expect(m.first_broker_reply_at).toBeNull();
    expect(m.furthest_stage).toBe('claimed');
    expect(m.nudge_stats).toEqual({ '1': { sent: 2, replied: 1 }, '2': { sent: 1, replied: 0 } });

    // The report reads the row: moved (row only, not its timeline) to a day nobody else uses,
    // it shows this lead's own speed to lead, claim and nudges.
    const day = new Date(Date.UTC(1990, 0, 1) + (randomBytes(2).readUInt16BE() % 9_800) * 86_400_000).toISOString().slice(0, 10);
    const shift = `(select ?::timestamptz - date_trunc('day', created_at) from leads where id = ?)`;
    await conn.execute(
      `update leads set created_at = created_at + ${shift}, first_message_at = first_message_at + ${shift}, first_reply_at = first_reply_at + ${shift}, claimed_at = claimed_at + ${shift}
       where id = ?`,
      [`${day}T00:00:00Z`, lead.leadId, `${day}T00:00:00Z`, lead.leadId, `${day}T00:00:00Z`, lead.leadId, `${day}T00:00:00Z`, lead.leadId, lead.leadId],
    );
    const res = await fetch(`${h.baseUrl}/analytics?from=${day}&to=${day}`, { headers: await apiSession(h.baseUrl, 'manager@example.com') });
    expect(res.status).toBe(200);
    const r = AnalyticsReport.parse(await res.json());
    expect(r.totalLeads).toBe(1);
    const firstReply = Math.round((ms(m.first_reply_at)! - ms(m.first_message_at)!) / 100) / 10;
    const whatsapp = r.speed.find((s) => s.dimension === 'channel' && s.key === 'whatsapp')!;
    expect(whatsapp.firstReply).toEqual({ count: 1, p50Seconds: firstReply, p90Seconds: firstReply });
    expect(whatsapp.timeToClaim.count).toBe(1);
    expect(r.speed.find((s) => s.dimension === 'broker')).toMatchObject({ key: 'broker-james', timeToClaim: { count: 1 } });
    expect(r.funnel.find((f) => f.stage === 'claimed')!.count).toBe(1);
    expect(r.followUps.steps).toEqual([
      { step: 1, sent: 2, replied: 1, replyRate: 0.5 },
      { step: 2, sent: 1, replied: 0, replyRate: 0 },
    ]);
  });
});
