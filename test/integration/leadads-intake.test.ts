import { randomInt, randomUUID } from 'node:crypto';
import { LeadRepository } from '../../db/lead.repository';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, eventually, type Harness } from '../support/harness';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';
import { signMetaPayload, startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';
import { graphLead, leadadsFixtureJson as fixtureJson, leadadsFixtureText as fixtureText, leadgenWebhook, randomLeadgenId } from '../support/leadads.payloads';

// Meta Lead Ads end to end: signed webhook (the fixture's exact bytes) → inbound event →
// leadgen intake workflow → Graph fetch from the fake Meta server (real client) → the same
// intake as chat → lead workflow, with attribution kept on the lead.

const SECRET = 'leadads-app-secret';
const TOKEN = 'page-token';
describe('Meta Lead Ads webhook → Graph fetch → lead', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  const post = (body: string, options: { secret?: string; signature?: string } = { secret: SECRET }) => postWebhook(h.baseUrl, body, { ...options, path: '/webhooks/leadads' });
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    meta = await startFakeMetaServer({ token: TOKEN });
    h = await startHarness({
      env: {
        LEADADS_APP_SECRET: SECRET,
        LEADADS_VERIFY_TOKEN: 'leadads-verify',
        META_LEADS_TOKEN: TOKEN,
        META_GRAPH_URL: meta.baseUrl,
        LEADADS_AUTH_RETRY_DELAY_MS: '200',
        LEADADS_NOT_FOUND_ATTEMPTS: '3',
        LEADADS_NOT_FOUND_RETRY_DELAY_MS: '100',
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await meta?.close();
  });

  async function leadOf(providerId: string) {
    return eventually(async () => {
      const rows = await sql<{ lead_id: string; body: string; contact_id: string; source: Record<string, unknown> | null }>(
        `select a.lead_id, a.body, l.contact_id, l.source from timeline_entries a join leads l on l.id = a.lead_id where a.provider_id = ?`,
        [providerId],
      );
      return rows[0];
    }, `the lead message ${providerId}`);
  }

  async function workflowResult(leadgenId: string) {
    return h.temporal.workflow.getHandle(`leadgen-${leadgenId}`).result() as Promise<{ status: string; reason?: string; leadId?: string }>;
  }

  it('answers the verification handshake', async () => {
    const ok = await fetch(`${h.baseUrl}/webhooks/leadads?hub.mode=subscribe&hub.verify_token=leadads-verify&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(`${h.baseUrl}/webhooks/leadads?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444`);
    expect(bad.status).toBe(403);
  });

  it('takes in a lead from the documented webhook (string ids), surviving an expired token, with attribution and form answers', async () => {
    const phone = `+9715${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    const email = `joe-${randomUUID()}@example.com`;
    meta.setLead('444444444444', graphLead('graph-lead-standard.json', { id: '444444444444', phone, email }));
    // Two answers with Meta's 190 first: the intake waits and retries instead of losing the lead.
    meta.failNext({ method: 'GET', pathIncludes: '/444444444444' }, { status: 400, body: fixtureJson('graph-error-expired-token.json') }, 2);

    const body = fixtureText('leadgen-webhook-string-ids.json');
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ received: true, leads: 1 });
    const events = await sql<{ status: string; source: string; provider_ids: string[] }>('select status, source, provider_ids from inbound_events where id = ?', [res.json.eventId]);
    expect(events[0]).toMatchObject({ status: 'processed', source: 'leadads', provider_ids: ['444444444444'] });

    expect(await workflowResult('444444444444')).toMatchObject({ status: 'ingested' });
    const gets = meta.requests.filter((r) => r.method === 'GET' && r.path === '/v23.0/444444444444');
    expect(gets).toHaveLength(3);
    expect(gets[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);

    const row = await leadOf('444444444444');
    expect(row.body).toContain('car_make: Honda');
    expect(row.body).toContain('selected_dealer: 99213450');
    const contact = await sql<{ name: string; phone: string; email: string }>('select name, phone, email from contacts where id = ?', [row.contact_id]);
    expect(contact[0]).toEqual({ name: 'Joe Example', phone, email });
    expect(row.source).toMatchObject({ channel: 'leadads', leadgen_id: '444444444444', ad_id: '666666666666', form_id: '555555555555', campaign_id: '888888888888', is_organic: false, page_id: '153125381133', adgroup_id: '777777777777' });

    // A redelivery of the same body: acknowledged, no second intake, still one message.
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(again.json.started).toBe(0);
    const count = await sql<{ n: string }>(`select count(*)::text as n from timeline_entries where provider_id = '444444444444'`);
    expect(count[0]!.n).toBe('1');
  });

  it('keeps custom questions in any language and extracts the profile from them (testing tool: no ad_id)', async () => {
    const phone = `+9715${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    meta.setLead('444444444445', graphLead('graph-lead-custom-arabic.json', { id: '444444444445', phone, email: `sara-${randomUUID()}@Example.com` }));
    const res = await post(fixtureText('leadgen-webhook-testing-tool.json'));
    expect(res.status).toBe(200);
    expect(await workflowResult('444444444445')).toMatchObject({ status: 'ingested' });
    const row = await leadOf('444444444445');
    expect(row.body).toContain('المنطقة_المفضلة: دبي مارينا');
    expect(row.source).toMatchObject({ channel: 'leadads', ad_id: '666666666667', campaign_id: '888888888889', form_id: '555555555556', is_organic: false, platform: 'ig' });
    const contact = await sql<{ name: string; phone: string; market: string }>('select name, phone, market from contacts where id = ?', [row.contact_id]);
    expect(contact[0]).toEqual({ name: 'سارة أحمد', phone, market: 'AE' });
    // The form text went through the same extraction as a chat message.
    const profile = await eventually(async () => {
      const rows = await sql<{ beds_min: number | null }>('select beds_min from lead_profiles where lead_id = ?', [row.lead_id]);
      return rows[0];
    }, 'the profile projection');
    expect(profile.beds_min).toBe(3);
  });

  it('takes in numeric ids exactly; an unknown leadgen id is retried, then fails visibly: event failed, run Failed, a lead with an alert and a task', async () => {
    meta.setLead('123123123123', graphLead('graph-lead-custom-spanish.json', { id: '123123123123' }));
    const numeric = await post(fixtureText('leadgen-webhook-numeric-ids.json'));
    expect(numeric.status).toBe(200);
    expect(await workflowResult('123123123123')).toMatchObject({ status: 'ingested' });
    const spanish = await leadOf('123123123123');
    expect(spanish.source).toMatchObject({ is_organic: true, ad_id: '12312312312', form_id: '555555555557' });

    // 12345678901234567 is above 2^53: JSON.parse alone would ask Graph for ...568.
    const big = await post(fixtureText('leadgen-webhook-big-numeric-id.json'));
    expect(big.status).toBe(200);
    // Graph code 100/33 also means missing permissions: retried (3 attempts here) before it is final.
    await expect(workflowResult('12345678901234567')).rejects.toThrow();
    const described = await h.temporal.workflow.getHandle('leadgen-12345678901234567').describe();
    expect(described.status.name).toBe('FAILED');
    expect(meta.requests.filter((r) => r.path === '/v23.0/12345678901234567')).toHaveLength(3);
    const event = await sql<{ status: string; error: string }>('select status, error from inbound_events where id = ?', [big.json.eventId]);
    expect(event[0]!.status).toBe('failed');
    expect(event[0]!.error).toMatch(/leadgen 12345678901234567: LeadgenNotFound/);
    // Not lost: a lead a broker sees, with the alert badge, the alert, and a task to look it up.
    const lead = await leadOf('12345678901234567');
    expect(lead.source).toMatchObject({ channel: 'leadads', leadgen_id: '12345678901234567', fetch_failed: true });
    const alerts = await sql<{ body: string; meta: { kind: string } }>(`select body, meta from timeline_entries where lead_id = ? and type = 'alert'`, [lead.lead_id]);
    expect(alerts.map((a) => a.meta.kind)).toEqual(['leadgen_fetch_failed']);
    const badge = await sql<{ alert_count: number }>('select alert_count from leads where id = ?', [lead.lead_id]);
    expect(badge[0]!.alert_count).toBe(1);
    const task = await eventually(async () => (await sql<{ title: string }>('select title from tasks where lead_id = ?', [lead.lead_id]))[0], 'the look-up task');
    expect(task.title).toMatch(/^Look this lead up and contact them: Lead Ads lead 12345678901234567/);
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/leadline_lead_alerts_total\{kind="leadgen_fetch_failed"\} [1-9]/);
  });

  it('lands the same person by WhatsApp and then a Lead Ads form on one contact and one lead', async () => {
    const waId = testWaId();
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hi, is the Marina 2 bed still available?' }))).status).toBe(200);
    const waLead = await eventually(async () => {
      const rows = await sql<{ id: string; contact_id: string }>('select l.id, l.contact_id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?', [waId]);
      return rows[0];
    }, 'the WhatsApp lead');

    const leadgenId = randomLeadgenId();
    const email = `same-${randomUUID()}@example.com`;
    meta.setLead(leadgenId, graphLead('graph-lead-standard.json', { id: leadgenId, phone: `+${waId}`, email }));
    expect((await post(leadgenWebhook(leadgenId, { ad_id: '666666666666' }))).status).toBe(200);
    expect(await workflowResult(leadgenId)).toMatchObject({ status: 'ingested', leadId: waLead.id });

    const contacts = await sql<{ id: string; email: string; wa_id: string }>('select id, email, wa_id from contacts where wa_id = ? or email = ? or phone = ?', [waId, email, `+${waId}`]);
    expect(contacts).toEqual([{ id: waLead.contact_id, email, wa_id: waId }]);
    const leads = await sql<{ id: string; source: { channel: string; touches?: Array<Record<string, unknown>> } }>('select id, source from leads where contact_id = ?', [waLead.contact_id]);
    expect(leads.map((l) => l.id)).toEqual([waLead.id]);
    // First touch stays WhatsApp; the form is kept as a later touch for reporting by source.
    expect(leads[0]!.source.channel).toBe('whatsapp');
    expect(leads[0]!.source.touches?.[0]).toMatchObject({ channel: 'leadads', leadgen_id: leadgenId, ad_id: '666666666666' });
    const inbound = await eventually(async () => {
      const rows = await sql<{ provider_id: string }>(`select provider_id from timeline_entries where lead_id = ? and direction = 'in' order by created_at`, [waLead.id]);
      return rows.length === 2 ? rows : undefined;
    }, 'both messages on the one lead');
    expect(inbound.map((r) => r.provider_id)).toContain(leadgenId);
  });

  it('keeps a phone that fails strict validation as given and in its lenient E.164 form, and matches the person’s WhatsApp contact on it', async () => {
    // A number libphonenumber calls possible but not valid (a range its metadata does not know).
    const waId = `97181${String(randomInt(0, 1e7)).padStart(7, '0')}`;
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hi, any 3 bed villas in Arabian Ranches?' }))).status).toBe(200);
    const waLead = await eventually(async () => (await sql<{ id: string; contact_id: string }>('select l.id, l.contact_id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?', [waId]))[0], 'the WhatsApp lead');
    const typed = `+971 ${waId.slice(3, 5)} ${waId.slice(5, 8)} ${waId.slice(8)}`;
    const leadgenId = randomLeadgenId();
    meta.setLead(leadgenId, graphLead('graph-lead-standard.json', { id: leadgenId, phone: typed, email: `lenient-${randomUUID()}@example.com` }));
    expect((await post(leadgenWebhook(leadgenId))).status).toBe(200);
    expect(await workflowResult(leadgenId)).toMatchObject({ status: 'ingested', leadId: waLead.id });
    const contact = await sql<{ phone: string; phone_raw: string | null; wa_id: string }>('select phone, phone_raw, wa_id from contacts where id = ?', [waLead.contact_id]);
    expect(contact[0]).toEqual({ phone: `+${waId}`, phone_raw: typed, wa_id: waId });
  });

  it('picks one contact deterministically when the form matches two existing contacts', async () => {
    // Contact A: someone known by an email (say from an earlier form). Contact B, later: a WhatsApp lead.
    // (A web chat visitor's typed e-mail no longer joins any contact: it is only a claim.)
    const email = `two-${randomUUID()}@example.com`;
    await new LeadRepository(h.orm.em.fork()).resolveContact({ email, market: 'AE' });
    const waId = testWaId();
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hello' }))).status).toBe(200);
    const b = await eventually(async () => (await sql<{ id: string }>('select id from contacts where wa_id = ?', [waId]))[0], 'contact B');
    const a = (await sql<{ id: string }>('select id from contacts where email = ?', [email]))[0]!;

    const leadgenId = randomLeadgenId();
    meta.setLead(leadgenId, graphLead('graph-lead-standard.json', { id: leadgenId, phone: `+${waId}`, email }));
    expect((await post(leadgenWebhook(leadgenId))).status).toBe(200);
    expect(await workflowResult(leadgenId)).toMatchObject({ status: 'ingested' });
    const row = await leadOf(leadgenId);
    expect(row.contact_id).toBe(a.id); // the older contact wins
    const after = await sql<{ id: string; email: string | null; phone: string | null }>('select id, email, phone from contacts where id in (?, ?) order by created_at', [a.id, b.id]);
    // Neither identifier moved: each stays with the contact that had it.
    expect(after).toEqual([
      { id: a.id, email, phone: null },
      { id: b.id, email: null, phone: `+${waId}` },
    ]);
  });

  it('refuses forged and missing signatures, malformed JSON, other envelopes and bodies over 3 MB', async () => {
    const body = fixtureText('leadgen-webhook-string-ids.json');
    const forged = await post(body, { signature: signMetaPayload(body, 'another-secret') });
    expect(forged.status).toBe(401);
    expect(forged.json.error?.code).toBe('invalid_signature');
    expect((await post(body, {})).status).toBe(401);
    const malformed = await post('{"object":"page","entry":[');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error?.code).toBe('invalid_json');
    const whatsapp = await post(fixtureText('wa-text.json'));
    expect(whatsapp.status).toBe(400);
    expect(whatsapp.json.error?.code).toBe('invalid_envelope');
    const huge = await post(JSON.stringify({ object: 'page', entry: [], pad: 'x'.repeat(3 * 1024 * 1024 + 1) }));
    expect(huge.status).toBe(413);
    // An unknown field is logged and acknowledged.
    const other = await post(JSON.stringify({ object: 'page', entry: [{ id: '1', time: 1, changes: [{ field: 'feed', value: { item: 'status' } }] }] }));
    expect(other.status).toBe(200);
    expect(other.json).toMatchObject({ leads: 0, skipped: 1 });
  });
});
