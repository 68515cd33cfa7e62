import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadState } from '../../domain/lead-state.model';
import type { LeadPage, LeadSummary } from '../../domain/lead-summary.schema';
import { eventually, machineAuth, startHarness, type Harness } from '../support/harness';
import { postWebhook, testWaId, waChange, waEnvelope, waTextPayload } from '../support/whatsapp.payloads';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';

// Issue 14, point 7: failures someone sees. A refused send and a lead nobody can reach become an
// alert on the lead: in its timeline, as the inbox badge (`alertCount` on the lead summary of
// GET /leads, the list the inbox renders) and in the alerts metric. Signed webhooks in Meta's
// documented shapes, the real workflow, the real Cloud API and Graph clients against the fake.

const WA_SECRET = 'alerts-wa-secret';
const ADS_SECRET = 'alerts-leadads-secret';
const TOKEN = 'alerts-token';
const fixtureJson = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/meta/${name}`, import.meta.url), 'utf8')) as Record<string, unknown> & { field_data: Array<{ name: string; values: string[] }> };

describe('alerts on the lead: timeline, inbox badge, metric', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    meta = await startFakeMetaServer({ token: TOKEN });
    h = await startHarness({
      env: {
        WHATSAPP_APP_SECRET: WA_SECRET,
        WHATSAPP_TOKEN: TOKEN,
        WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
        LEADADS_APP_SECRET: ADS_SECRET,
        META_LEADS_TOKEN: TOKEN,
        META_GRAPH_URL: meta.baseUrl,
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await meta?.close();
  });

  /** The lead as the inbox lists it (GET /leads), once `ok` holds. */
  const inboxRow = (leadId: string, ok: (l: LeadSummary) => boolean, what: string) =>
    eventually(async () => {
      const res = await fetch(`${h.baseUrl}/leads?limit=200`, { headers: machineAuth });
      const item = ((await res.json()) as LeadPage).items.find((l) => l.id === leadId);
      return item && ok(item) ? item : undefined;
    }, what);
  const alertsOf = (leadId: string) => sql<{ body: string; meta: { kind: string } }>(`select body, meta from timeline_entries where lead_id = ? and type = 'alert' order by created_at`, [leadId]);
  const alertMetric = async (kind: string) => {
    const m = new RegExp(`leadline_lead_alerts_total\\{kind="${kind}"\\} (\\d+)`).exec(await (await fetch(`${h.baseUrl}/metrics`)).text());
    return m ? Number(m[1]) : 0;
  };

  it('a send Meta refuses for good (131026) is a send_failed alert: timeline, a badge in the inbox list, the metric', async () => {
    const waId = testWaId();
    const before = await alertMetric('send_failed');
    meta.failNext(
      { method: 'POST', pathIncludes: '/messages' },
      { status: 400, body: { error: { message: '(#131026) Message undeliverable', type: 'OAuthException', code: 131026, error_data: { messaging_product: 'whatsapp', details: 'Message Undeliverable.' }, fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam' } } },
    );
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hi, is the 2 bed in JLT still available?' }), { secret: WA_SECRET })).status).toBe(200);
    const lead = await eventually(async () => (await sql<{ id: string }>('select l.id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?', [waId]))[0], 'the lead');
    const row = await inboxRow(lead.id, (l) => l.alertCount > 0, 'the alert badge in the inbox list');
    expect(row.alertCount).toBe(1);
    expect(row.lastAlertAt).not.toBeNull();
    const alerts = await alertsOf(lead.id);
    expect(alerts.map((a) => a.meta.kind)).toEqual(['send_failed']);
    expect(alerts[0]!.body).toMatch(/not sent on whatsapp/);
    expect(await alertMetric('send_failed')).toBeGreaterThan(before);

    // the next reply goes out: no new alert, the badge stays at one
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hello?' }), { secret: WA_SECRET })).status).toBe(200);
    await eventually(async () => ((await sql(`select 1 from timeline_entries where lead_id = ? and direction = 'out' and delivery_status = 'sent'`, [lead.id])).length > 0 ? true : undefined), 'the second reply sent');
    expect((await inboxRow(lead.id, () => true, 'the lead')).alertCount).toBe(1);
  });

  /** Meta's documented failed status for one of our messages (131049: not delivered to keep engagement healthy). */
  const failedStatus = (wamid: string, waId: string) =>
    waEnvelope([
      waChange({
        statuses: [{
          id: wamid, status: 'failed', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: waId,
          errors: [{ code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.', message: 'This message was not delivered to maintain healthy ecosystem engagement.', error_data: { details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.' } }],
        }],
      }),
    ]);
  const sentReply = (waId: string) =>
    eventually(async () => {
      const r = await sql<{ lead_id: string; workflow_id: string; provider_id: string }>(
        `select a.lead_id, l.workflow_id, a.provider_id from timeline_entries a join leads l on l.id = a.lead_id join contacts c on c.id = l.contact_id
          where c.wa_id = ? and a.direction = 'out' and a.provider_id is not null`,
        [waId],
      );
      return r[0];
    }, 'the sent reply');
  const CALL_TASK = 'Call the lead: no message reaches them on any channel we have';

  it('a hot lead whose accepted reply later fails to deliver (131049) gets a call task and a handoff, once; a cold one only the alert', async () => {
    const hot = testWaId();
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId: hot, text: 'Hi, I want to buy a 2 bed apartment in Dubai Marina, budget AED 2.5M, cash buyer, moving next month' }), { secret: WA_SECRET })).status).toBe(200);
    const reply = await sentReply(hot);
    const handle = h.temporal.workflow.getHandle(reply.workflow_id);
    // the reply's row is written inside the turn, before the workflow records the turn's qualification
    const turned = await eventually(async () => {
      const st = await handle.query<LeadState>('state');
      return st.turns >= 1 ? st : undefined;
    }, 'the turn recorded in the workflow');
    expect(turned.qualification?.qualified).toBe(true);
    expect((await postWebhook(h.baseUrl, failedStatus(reply.provider_id, hot), { secret: WA_SECRET })).status).toBe(200);
    const s = await eventually(async () => {
      const st = await handle.query<LeadState>('state');
      return st.tasks.some((t) => t.title === CALL_TASK) ? st : undefined;
    }, 'the call task');
    expect(s.handoff.status).not.toBe('none');
    expect(s.stage).toBe('handoff');
    const stored = await eventually(async () => {
      const rows = await sql<{ title: string }>('select title from tasks where lead_id = ? and title = ?', [reply.lead_id, CALL_TASK]);
      return rows.length > 0 ? rows : undefined;
    }, 'the stored call task');
    expect(stored).toHaveLength(1);
    expect((await alertsOf(reply.lead_id)).map((a) => a.meta.kind)).toEqual(['delivery_failed']);
    // the same status redelivered adds nothing
    expect((await postWebhook(h.baseUrl, failedStatus(reply.provider_id, hot), { secret: WA_SECRET })).status).toBe(200);
    expect((await handle.query<LeadState>('state')).tasks.filter((t) => t.title === CALL_TASK)).toHaveLength(1);

    const cold = testWaId();
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId: cold, text: 'Hello' }), { secret: WA_SECRET })).status).toBe(200);
    const coldReply = await sentReply(cold);
    expect((await postWebhook(h.baseUrl, failedStatus(coldReply.provider_id, cold), { secret: WA_SECRET })).status).toBe(200);
    await eventually(async () => ((await alertsOf(coldReply.lead_id)).length > 0 ? true : undefined), 'the cold lead’s alert');
    // the workflow heard the failure before this next message (signals arrive in order): once it answered, it had decided
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId: cold, text: 'ok thanks' }), { secret: WA_SECRET })).status).toBe(200);
    const coldState = await eventually(async () => {
      const st = await h.temporal.workflow.getHandle(coldReply.workflow_id).query<LeadState>('state');
      return st.turns >= 2 ? st : undefined;
    }, 'the cold lead’s second turn');
    expect(coldState.tasks).toEqual([]);
    expect(coldState.handoff.status).toBe('none');
  });

  it('a Lead Ads lead with no phone (no WhatsApp identity) is an unreachable alert with the badge, not a silent end', async () => {
    const leadgenId = `7${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e4)).padStart(4, '0')}`;
    const graphLead = fixtureJson('graph-lead-standard.json');
    graphLead.id = leadgenId;
    // filled in now: the fixture's 2015 date would put the lead past its retention period at once
    graphLead.created_time = new Date().toISOString().replace(/\.\d{3}Z$/, '+0000');
    graphLead.field_data = graphLead.field_data.filter((f) => f.name !== 'phone_number');
    for (const f of graphLead.field_data) if (f.name === 'email') f.values = [`no-phone-${randomUUID()}@example.com`];
    meta.setLead(leadgenId, graphLead);
    const before = await alertMetric('unreachable');
    const webhook = JSON.stringify({
      object: 'page',
      entry: [{ id: '153125381133', time: 1750000000, changes: [{ field: 'leadgen', value: { leadgen_id: leadgenId, page_id: '153125381133', form_id: '555555555555', created_time: Math.floor(Date.now() / 1000) } }] }],
    });
    expect((await postWebhook(h.baseUrl, webhook, { secret: ADS_SECRET, path: '/webhooks/leadads' })).status).toBe(200);
    const lead = await eventually(async () => (await sql<{ lead_id: string }>('select lead_id from timeline_entries where provider_id = ?', [leadgenId]))[0], 'the Lead Ads lead');
    const row = await inboxRow(lead.lead_id, (l) => l.alertCount > 0, 'the unreachable badge');
    expect(row.alertCount).toBe(1);
    const alerts = await alertsOf(lead.lead_id);
    expect(alerts.map((a) => a.meta.kind)).toEqual(['unreachable']);
    expect(alerts[0]!.body).toMatch(/no WhatsApp identity/);
    const reply = await sql<{ delivery_status: string }>(`select delivery_status from timeline_entries where lead_id = ? and direction = 'out'`, [lead.lead_id]);
    expect(reply.map((r) => r.delivery_status)).toEqual(['failed']);
    expect(await alertMetric('unreachable')).toBeGreaterThan(before);
  });
});
