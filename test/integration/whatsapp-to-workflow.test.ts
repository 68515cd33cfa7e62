import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, eventually, machineAuth, type Harness } from '../support/harness';
import { leadIdOf } from '../support/lead-lookup';
import { postWebhook, testWaId, testWamid, waTextPayload } from '../support/whatsapp.payloads';
import { LeadDetail, LeadPage } from '../../domain/lead-summary.schema';
import { ChannelKey, LeadStageKey } from '../../temporal/search-attributes';

const SECRET = 'test-app-secret';

describe('WhatsApp webhook → lead workflow → agent turn → Postgres → query (HTTP)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { WHATSAPP_APP_SECRET: SECRET } });
  });
  afterAll(async () => h?.close());

  async function leadDetail(leadId: string): Promise<LeadDetail> {
    const res = await fetch(`${h.baseUrl}/leads/${leadId}`, { headers: machineAuth });
    expect(res.status).toBe(200);
    const json: unknown = await res.json();
    // Exactly the shared schema: parsing strips keys it does not know, so extra keys fail too.
    expect(LeadDetail.parse(json)).toEqual(json);
    return json as LeadDetail;
  }

  it('creates the contact and lead, runs a turn, persists the reply and serves it through the API', async () => {
    const waId = testWaId();
    const res = await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hi, I am looking for a 2 bed apartment in Dubai Marina' }), { secret: SECRET });
    expect(res.status).toBe(200);
    expect(res.json.messages).toBe(1);

    const listJson: unknown = await (await fetch(`${h.baseUrl}/leads?limit=200`, { headers: machineAuth })).json();
    expect(LeadPage.parse(listJson)).toEqual(listJson);
    const list = listJson as LeadPage;
    const contactRows = await h.orm.em.fork().getConnection().execute<{ id: string }[]>('select id from contacts where wa_id = ?', [waId]);
    expect(contactRows).toHaveLength(1);
    const leadRows = await h.orm.em.fork().getConnection().execute<{ id: string }[]>('select id from leads where contact_id = ?', [contactRows[0]!.id]);
    expect(leadRows).toHaveLength(1);
    const leadId = leadRows[0]!.id;
    const listed = list.items.find((l) => l.id === leadId);
    expect(listed?.workflowId).toBe(`lead-${leadId}`);
    expect(listed?.contact.id).toBe(contactRows[0]!.id);
    // The OpenAPI document describes the same shape (it once lost contact and lastMessagePreview).
    const doc = (await (await fetch(`${h.baseUrl}/openapi.json`)).json()) as { components: { schemas: Record<string, { required?: string[] }> } };
    expect(doc.components.schemas.LeadSummary?.required).toEqual(expect.arrayContaining(['contact', 'lastMessagePreview']));

    const detail = await eventually(async () => {
      const d = await leadDetail(leadId);
      // The projection is written after the reply goes out: wait for both.
      return d.timeline.some((a) => a.direction === 'out') && d.lead.stage !== 'new' ? d : undefined;
    }, 'the agent reply and the projection');

    expect(detail.lead.contact.phone).toBe(`+${waId}`);
    expect(detail.lead.lastMessagePreview).toBe('Hi, I am looking for a 2 bed apartment in Dubai Marina');
    expect(detail.lead.stage).not.toBe('new');
    const inbound = detail.timeline.filter((a) => a.direction === 'in');
    const outbound = detail.timeline.filter((a) => a.direction === 'out');
    expect(inbound.map((a) => a.body)).toEqual(['Hi, I am looking for a 2 bed apartment in Dubai Marina']);
    expect(outbound).toHaveLength(1);
    expect(outbound[0]!.body?.length).toBeGreaterThan(10);

    expect(detail.workflow.status).toBe('RUNNING');
    expect(detail.workflow.uiUrl).toContain(`/workflows/lead-${leadId}`);
    expect(detail.workflow.state?.turns).toBe(1);
    expect(detail.workflow.state?.transcript.map((t) => t.from)).toEqual(['lead', 'agent']);
    expect(detail.workflow.state?.transcript[1]?.text).toBe(outbound[0]!.body);

    // The intake starts the run with the fold declared and the attributes its first publishState
    // would write (#13): no patch marker, and no upsert before the first agent turn.
    const history = await h.temporal.workflow.getHandle(`lead-${leadId}`).fetchHistory();
    const events = history.events ?? [];
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toEqual([]);
    const firstTurn = events.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'agentTurn');
    expect(firstTurn).toBeGreaterThan(0);
    expect(events.slice(0, firstTurn).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toEqual([]);
    const described = await h.temporal.workflow.getHandle(`lead-${leadId}`).describe();
    expect(described.typedSearchAttributes.get(ChannelKey)).toBe('whatsapp');
    expect(described.typedSearchAttributes.get(LeadStageKey)).toBe(detail.lead.stage);
  });

  it('routes a second message from the same person to the same lead and workflow', async () => {
    const waId = testWaId();
    await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hello' }), { secret: SECRET });
    const first = await leadIdOf(h.orm, waId);
    await eventually(async () => ((await leadDetail(first)).workflow.state?.turns === 1 ? true : undefined), 'first turn');
    // The timeline orders by the provider's timestamp (whole seconds): the second message is a second later.
    const second = waTextPayload({ waId, text: 'Looking to rent in JVC' });
    const msg = second.entry[0]!.changes[0]!.value.messages[0]!;
    msg.timestamp = String(Number(msg.timestamp) + 1);
    await postWebhook(h.baseUrl, second, { secret: SECRET });
    const detail = await eventually(async () => {
      const d = await leadDetail(first);
      return d.workflow.state?.turns === 2 ? d : undefined;
    }, 'second turn');
    const leads = await h.orm.em.fork().getConnection().execute('select l.id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?', [waId]);
    expect(leads).toHaveLength(1);
    expect(detail.timeline.filter((a) => a.direction === 'in').map((a) => a.body)).toEqual(['Hello', 'Looking to rent in JVC']);
  });

  it('acknowledges a re-delivered message and processes it once', async () => {
    const waId = testWaId();
    const wamid = testWamid();
    const payload = waTextPayload({ waId, text: 'Is the Marina unit still available?', wamid });
    expect((await postWebhook(h.baseUrl, payload, { secret: SECRET })).status).toBe(200);
    expect((await postWebhook(h.baseUrl, payload, { secret: SECRET })).status).toBe(200);
    const leadId = await leadIdOf(h.orm, waId);
    const detail = await eventually(async () => {
      const d = await leadDetail(leadId);
      return d.workflow.state?.turns === 1 ? d : undefined;
    }, 'the turn');
    expect(detail.timeline.filter((a) => a.direction === 'in')).toHaveLength(1);
    const events = await h.orm.em.fork().getConnection().execute<{ n: string }[]>(
      `select count(*)::text as n from inbound_events where raw_body like ?`,
      [`%${wamid}%`],
    );
    expect(events[0]!.n).toBe('2');
  });

  it('lists leads with validated paging and answers unknown leads with the error envelope', async () => {
    const bad = await fetch(`${h.baseUrl}/leads?limit=0`, { headers: machineAuth });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    const missing = await fetch(`${h.baseUrl}/leads/00000000-0000-4000-8000-000000000000`, { headers: machineAuth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    const notUuid = await fetch(`${h.baseUrl}/leads/not-a-uuid`, { headers: machineAuth });
    expect(notUuid.status).toBe(400);
  });
});
