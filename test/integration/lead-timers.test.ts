import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { NativeConnection, Worker } from '@temporalio/worker';
import { SEED_BROKERS } from '../../db/seeders/database.seeder';
import { createActivities } from '../../activities/lead.activities';
import { BROKER_EVENTS_CHANNEL } from '../../lib/lead-events.channel';
import { createReplies } from '../../temporal/worker.factory';
import { nudgeText } from '../../domain/follow-up.schedule';
import { wallTime } from '../../domain/quiet-hours';
import type { Agent } from '../../domain/agent.types';
import { startHarness, eventually, type Harness } from '../support/harness';
import { maybeRecordHistory } from '../replay/history-file';
import { fastSettings, inbound, leadRow, post, startLead, stateOf, subscribe, timeline, waitForState } from './lead-support';

// Every timer of a lead's life on a real Temporal server, with durations of a second or two:
// the handoff SLA and its escalation to the pool, the follow-up cadence and its reset, quiet
// hours, opt-out, task reminders, the broker-reply reminder, and the stuck agent.

const brokerIds = SEED_BROKERS.map((b) => b.id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('lead timers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('escalates an unclaimed handoff through three brokers to the shared pool and raises an alert', async () => {
    const events = await subscribe(h.redis, BROKER_EVENTS_CHANNEL);
    try {
      const lead = await startLead(h, { first: 'I want to speak to a real person', settings: fastSettings({ slaMs: 1500 }) });
      const pooled = await waitForState(lead, (s) => s.handoff.status === 'pool' && s.alerts > 0, 'the lead in the shared pool, with an alert', 45_000);
      expect(pooled.handoff.escalations).toBe(3);
      expect(new Set(pooled.handoff.tried).size).toBe(3);
      expect([...pooled.handoff.tried].sort()).toEqual([...brokerIds].sort());
      expect(pooled.alerts).toBe(1);
      expect(pooled.stage).toBe('handoff');

      const handoffs = await timeline(h, lead.leadId, 'handoff');
      expect(handoffs.map((r) => r.idempotency_key!.split(':').slice(-2)[0])).toEqual(['offer', 'missed', 'offer', 'missed', 'offer', 'missed']);
      expect(handoffs.filter((_, i) => i % 2 === 0).map((r) => r.meta?.brokerId)).toEqual(pooled.handoff.tried);
      // The state counts the alert before the activity that writes its timeline row has run.
      const alerts = await eventually(async () => {
        const rows = await timeline(h, lead.leadId, 'alert');
        return rows.length > 0 ? rows : undefined;
      }, 'the alert on the timeline');
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.meta).toMatchObject({ kind: 'handoff_unclaimed', escalations: 3 });
      const published = await eventually(async () => events.messages.find((m) => m.leadId === lead.leadId && m.type === 'alert'), 'the alert on Redis');
      expect(published.idempotencyKey).toBe(alerts[0]!.idempotency_key);
      expect(new Set(events.messages.filter((m) => m.leadId === lead.leadId && m.type === 'handoff').map((m) => m.idempotencyKey)).size).toBe(6);

      const row = await eventually(async () => {
        const r = await leadRow(h, lead.leadId);
        return r.sla_due_at === null && r.status === 'handoff' ? r : undefined;
      }, 'the pooled projection');
      expect(row.owner_id).toBeNull();

      // Anyone may claim from the pool.
      const claim = await post(h, `/leads/${lead.leadId}/claim`, { brokerId: 'broker-priya' });
      expect(claim.status).toBe(200);
      expect(claim.json.lead).toMatchObject({ ownerId: 'broker-priya', stage: 'claimed' });
      // Analytics' milestones on the row: time to claim runs from the last missed claim, and
      // the claim is held to the last offer's SLA (db/lead-milestones.repository.ts).
      const milestones = await eventually(async () => {
        const [r] = await h.orm.em
          .fork()
          .getConnection()
          .execute<{ handoff_at: Date | string; handoff_sla_due_at: Date | string; claimed_at: Date | string | null; last_missed: Date | string }[]>(
            `select l.handoff_at, l.handoff_sla_due_at, l.claimed_at,
               (select max(t.created_at) from timeline_entries t where t.lead_id = l.id and t.type = 'handoff') as last_missed
             from leads l where l.id = ?`,
            [lead.leadId],
          );
        return r?.claimed_at ? r : undefined;
      }, 'the claim on the lead row');
      expect(new Date(milestones.handoff_at).getTime()).toBe(new Date(milestones.last_missed).getTime());
      expect(new Date(milestones.handoff_sla_due_at).toISOString()).toBe(handoffs[4]!.meta?.slaDueAt);
      expect(new Date(milestones.claimed_at!).getTime()).toBeGreaterThan(new Date(milestones.handoff_sla_due_at).getTime());
      await maybeRecordHistory(lead.handle, 'escalation-to-pool', h.encryption.codec);
    } finally {
      await events.stop();
    }
  });

  it('nudges on the cadence with texts from the profile, and every reply resets it', async () => {
    const settings = fastSettings({ followUp: { cadenceMs: [1500, 3000], nurtureEveryMs: 0, nurtureUntilMs: 3000 } });
    const lead = await startLead(h, { first: 'Hi, I am looking for a 2 bed apartment in Dubai Marina', settings });
    const first = await waitForState(lead, (s) => s.followUp.sent === 1, 'the first nudge');
    const nudge1 = first.transcript.find((t) => t.kind === 'nudge')!;
    expect(nudge1.text).toBe(nudgeText({ profile: first.profile, step: 0, cadenceSteps: 2, seed: lead.leadId, lastLeadText: 'Hi, I am looking for a 2 bed apartment in Dubai Marina' }));
    expect(first.followUp.step).toBe(1);
    expect(Date.parse(first.followUp.dueAt!) - Date.parse(first.followUp.anchorAt!)).toBe(3000);
    await eventually(async () => {
      const row = await leadRow(h, lead.leadId);
      return row.next_follow_up_at === first.followUp.dueAt ? true : undefined;
    }, 'the next follow-up in the projection');

    // The lead answers before the second nudge: the cadence starts over from our answer.
    await lead.handle.signal('inbound', inbound('Sorry, was busy. Budget is 2M AED'));
    const reset = await waitForState(lead, (s) => s.turns === 2 && s.followUp.dueAt !== null, 'the reply and the new cadence');
    const lastAgent = [...reset.transcript].reverse().find((t) => t.from === 'agent' && t.kind !== 'nudge')!;
    expect(reset.followUp).toMatchObject({ step: 0, sent: 1, anchorAt: lastAgent.at, lastSentAt: null });
    expect(Date.parse(reset.followUp.dueAt!) - Date.parse(lastAgent.at)).toBe(1500);

    const done = await waitForState(lead, (s) => s.followUp.sent === 3 && s.followUp.dueAt === null, 'two more nudges, then none left');
    expect(done.followUp.step).toBe(2);
    const nudges = done.transcript.filter((t) => t.kind === 'nudge');
    expect(nudges).toHaveLength(3);
    // Each nudge after the reply follows our answer, not the first conversation.
    expect(nudges.slice(1).every((n) => Date.parse(n.at) > Date.parse(lastAgent.at))).toBe(true);
    const outKeys = (await eventually(async () => {
      const rows = (await timeline(h, lead.leadId, 'message')).filter((r) => r.direction === 'out' && r.idempotency_key?.includes(':nudge:'));
      return rows.length === 3 ? rows : undefined;
    }, 'three nudges on the timeline')).map((r) => r.idempotency_key);
    expect(outKeys).toEqual([1, 2, 3].map((n) => `${lead.workflowId}:nudge:${n}`));
    await eventually(async () => ((await leadRow(h, lead.leadId)).next_follow_up_at === null ? true : undefined), 'no follow-up left in the projection');
    await maybeRecordHistory(lead.handle, 'follow-up-reset', h.encryption.codec);
  });

  it('defers a nudge that falls in quiet hours to their end in the lead time zone', async () => {
    const timeZone = 'Asia/Kolkata';
    const startedAt = Date.now();
    const local = wallTime(startedAt, timeZone);
    const minute = local.hour * 60 + local.minute;
    // Quiet hours from five minutes ago until two hours from now, local time (no DST in Kolkata).
    const quietHours = { startMinute: (minute + 1440 - 5) % 1440, endMinute: (minute + 120) % 1440 };
    // No time zone in the settings: the contact's is used.
    const { timeZone: _utc, ...settings } = fastSettings({ quietHours, followUp: { cadenceMs: [1000], nurtureEveryMs: 0, nurtureUntilMs: 1000 } });
    const lead = await startLead(h, { first: 'Looking to rent a villa in Dubai Hills', settings, timeZone });
    const s = await waitForState(lead, (x) => x.followUp.dueAt !== null, 'the deferred nudge');
    expect(s.settings.timeZone).toBe(timeZone);
    const expectedEnd = Math.floor(startedAt / 60_000) * 60_000 + 120 * 60_000;
    expect(s.followUp.dueAt).toBe(new Date(expectedEnd).toISOString());
    expect(Date.parse(s.followUp.deferredFrom!) - Date.parse(s.followUp.anchorAt!)).toBe(1000);
    await eventually(async () => ((await leadRow(h, lead.leadId)).next_follow_up_at === new Date(expectedEnd).toISOString() ? true : undefined), 'the deferral in the projection');

    // Well past the undeferred time, nothing went out.
    while (Date.now() < Date.parse(s.followUp.deferredFrom!) + 2000) await sleep(250);
    const later = await stateOf(lead);
    expect(later.followUp.sent).toBe(0);
    expect(later.transcript.some((t) => t.kind === 'nudge')).toBe(false);
    expect((await timeline(h, lead.leadId, 'message')).filter((r) => r.direction === 'out')).toHaveLength(1);
  });

  it('stops everything on opt-out: no escalation, no nudges, no replies, no broker messages', async () => {
    const settings = fastSettings({ slaMs: 3000, followUp: { cadenceMs: [3000], nurtureEveryMs: 0, nurtureUntilMs: 3000 } });
    const lead = await startLead(h, { first: 'Can someone call me? I want a 3 bed villa', settings });
    const offered = await waitForState(lead, (s) => s.handoff.status === 'offered' && s.followUp.dueAt !== null, 'the offer and a planned nudge');
    await lead.handle.signal('optOut');
    const opted = await waitForState(lead, (s) => s.optedOut && s.handoff.status === 'none', 'the opt-out');
    expect(opted.followUp.dueAt).toBeNull();
    expect(opted.handoff.slaDueAt).toBeNull();

    // Past the SLA and the nudge that were planned, nothing fired.
    while (Date.now() < Date.parse(offered.handoff.slaDueAt!) + 2500) await sleep(250);
    const quiet = await stateOf(lead);
    expect(quiet.handoff.escalations).toBe(0);
    expect(quiet.followUp.sent).toBe(0);
    expect((await timeline(h, lead.leadId, 'handoff')).map((r) => r.idempotency_key!.split(':').slice(-2)[0])).toEqual(['offer']);
    const row = await leadRow(h, lead.leadId);
    expect(row).toMatchObject({ sla_due_at: null, next_follow_up_at: null });

    // The lead writes again: recorded, not answered.
    await lead.handle.signal('inbound', inbound('hello?'));
    const after = await waitForState(lead, (s) => s.transcript.some((t) => t.text === 'hello?'), 'the later message');
    expect(after.turns).toBe(1);
    await eventually(async () => ((await timeline(h, lead.leadId, 'message')).some((r) => r.body === 'hello?') ? true : undefined), 'the message on the timeline');
    expect((await timeline(h, lead.leadId, 'message')).filter((r) => r.direction === 'out')).toHaveLength(1);

    expect((await post(h, `/leads/${lead.leadId}/claim`, { brokerId: 'broker-james' })).status).toBe(200);
    const msg = await post(h, `/leads/${lead.leadId}/messages`, { text: 'Hi!' });
    expect(msg.status).toBe(409);
    expect(msg.json.error?.code).toBe('opted_out');
  });

  it('honours STOP at once through the agent and while a broker owns the lead', async () => {
    const viaAgent = await startLead(h, { first: 'STOP', settings: fastSettings({ followUp: { cadenceMs: [1000], nurtureEveryMs: 0, nurtureUntilMs: 1000 } }) });
    const stopped = await waitForState(viaAgent, (s) => s.optedOut && s.turns === 1, 'the opt-out turn');
    expect(stopped.transcript.filter((t) => t.from === 'agent')).toHaveLength(1);
    expect(stopped.followUp.dueAt).toBeNull();

    const owned = await startLead(h, { first: 'Hello, looking at apartments in JVC' });
    await waitForState(owned, (s) => s.turns === 1, 'the first turn');
    expect((await post(h, `/leads/${owned.leadId}/claim`, { brokerId: 'broker-amina' })).status).toBe(200);
    await owned.handle.signal('inbound', inbound('stop'));
    const s = await waitForState(owned, (x) => x.optedOut, 'the STOP while claimed');
    expect(s.turns).toBe(1);
    expect(s.brokerReply.dueAt).toBeNull();
  });

  it('reminds about a due task once (timeline, tasks row, Redis) and never about a completed one', async () => {
    const lead = await startLead(h, { first: 'Hi, looking for an office in Business Bay' });
    await waitForState(lead, (s) => s.turns === 1, 'the first turn');
    const events = await subscribe(h.redis, BROKER_EVENTS_CHANNEL);
    try {
      // Far enough ahead that both creates land before it: under CI load a create once took over
      // 2 s and was refused as task_due_in_past. A refused create shows its error envelope here.
      const dueAt = new Date(Date.now() + 10_000).toISOString();
      const created = async (title: string) => {
        const res = await post(h, `/leads/${lead.leadId}/tasks`, { title, dueAt, assignee: 'broker-james' });
        expect(res.json.task, JSON.stringify(res)).toBeDefined();
        return res.json.task as { id: string };
      };
      const task = await created('Call about the office');
      const other = await created('Never mind');
      expect((await post(h, `/leads/${lead.leadId}/tasks/${other.id}/complete`)).status).toBe(200);

      const reminded = await waitForState(lead, (s) => s.tasks.find((t) => t.id === task.id)?.remindedAt != null, 'the reminder');
      expect(reminded.tasks.find((t) => t.id === other.id)?.remindedAt).toBeNull();
      const rows = await eventually(async () => {
        const r = await timeline(h, lead.leadId, 'reminder');
        return r.length > 0 ? r : undefined;
      }, 'the reminder on the timeline');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ body: 'Task due: Call about the office', idempotency_key: `${lead.workflowId}:task:${task.id}:reminder` });
      expect(rows[0]!.meta).toMatchObject({ kind: 'task', taskId: task.id, brokerId: 'broker-james' });
      const taskRows = await h.orm.em.fork().getConnection().execute<{ id: string; reminded_at: Date | null }[]>('select id, reminded_at from tasks where lead_id = ? order by title', [lead.leadId]);
      expect(taskRows.find((t) => t.id === task.id)!.reminded_at).not.toBeNull();
      expect(taskRows.find((t) => t.id === other.id)!.reminded_at).toBeNull();
      const published = await eventually(async () => events.messages.find((m) => m.leadId === lead.leadId && m.type === 'reminder'), 'the reminder on Redis');
      expect(published).toMatchObject({ brokerId: 'broker-james', meta: { taskId: task.id } });
      await maybeRecordHistory(lead.handle, 'task-reminder', h.encryption.codec);
    } finally {
      await events.stop();
    }
  });

  it('reminds the owner when the lead writes and nobody answers within the SLA', async () => {
    const lead = await startLead(h, { first: 'Hi there', settings: fastSettings({ slaMs: 1500 }) });
    await waitForState(lead, (s) => s.turns === 1, 'the first turn');
    expect((await post(h, `/leads/${lead.leadId}/claim`, { brokerId: 'broker-priya' })).status).toBe(200);
    await lead.handle.signal('inbound', inbound('When can I see the unit?'));
    const s = await waitForState(lead, (x) => x.brokerReply.reminders === 1, 'the broker reminder');
    expect(s.brokerReply.dueAt).toBeNull();
    expect(s.turns).toBe(1);
    const rows = await eventually(async () => {
      const r = await timeline(h, lead.leadId, 'reminder');
      return r.length > 0 ? r : undefined;
    }, 'the reminder row');
    expect(rows[0]!.meta).toMatchObject({ kind: 'broker_reply', brokerId: 'broker-priya' });
  });
});

describe('a stuck agent', () => {
  let h: Harness;
  let worker: Worker;
  let running: Promise<void>;
  let connection: NativeConnection;
  beforeAll(async () => {
    h = await startHarness({ worker: false });
    // Every agent turn fails: after its retries the lead must go to a person.
    const failing: Agent = {
      name: 'offline',
      turn: async () => {
        throw new Error('model unavailable');
      },
    };
    connection = await NativeConnection.connect({ address: h.env.TEMPORAL_ADDRESS });
    worker = await Worker.create({
      connection,
      taskQueue: h.env.TEMPORAL_TASK_QUEUE,
      dataConverter: h.encryption.dataConverter,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: createActivities({ orm: h.orm, redis: h.redis, agent: failing, channels: createReplies(h), logger: h.logger, env: h.env }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
    await h?.close();
  });

  it('hands the lead off as stuck when the agent turn fails after its retries', async () => {
    const lead = await startLead(h, { first: 'Hi, 2 bed in Marina please' });
    const s = await waitForState(lead, (x) => x.handoff.status === 'offered', 'the stuck handoff');
    expect(s.handoff.reason).toBe('stuck');
    expect(s.agentFailures).toBe(1);
    expect(s.turns).toBe(0);
    expect(brokerIds).toContain(s.handoff.offeredTo);
    expect(s.transcript.map((t) => t.from)).toEqual(['lead']);
  });
});
