import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadDetail, LeadPage } from '../../domain/lead-summary.schema';
import { startHarness, eventually, machineAuth, type Harness } from '../support/harness';
import { agentReplies } from '../support/lead-lookup';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openai.server';

// The language a lead writes in is kept on their contact (#14, point 1) and shown to brokers
// through the lead API: WhatsApp text messages in Meta's documented shape, through the real
// webhook, workflow, agent turn and Postgres.

const SECRET = 'test-app-secret';
const TOKEN = 'wa-token';

describe('the contact keeps the language of the lead’s own words', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const api = async <T>(path: string) => {
    const res = await fetch(`${h.baseUrl}${path}`, { headers: machineAuth });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    meta = await startFakeMetaServer({ token: TOKEN });
    h = await startHarness({ env: { WHATSAPP_APP_SECRET: SECRET, WHATSAPP_TOKEN: TOKEN, META_GRAPH_URL: meta.baseUrl } });
  });
  afterAll(async () => {
    await h?.close();
    await meta?.close();
  });

  /** The lead's replies so far (sent or not), oldest first, once there are `count`. */
  const replies = (waId: string, count: number) => agentReplies(h.orm, waId, count);

  const say = async (waId: string, text: string) => expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text }), { secret: SECRET })).status).toBe(200);

  it('an Arabic WhatsApp lead is `ar` in GET /leads/:id, answered in Arabic, and a bare "3" does not change it', async () => {
    const waId = testWaId();
    await say(waId, 'مرحبا، أبحث عن فيلا 4 غرف نوم في دبي هيلز بميزانية 8 مليون درهم، الدفع نقداً');
    const [reply] = await replies(waId, 1);
    expect(reply!.body).toMatch(/[\u0621-\u064a]/);
    const detail = await eventually(async () => {
      const d = await api<LeadDetail>(`/leads/${reply!.lead_id}`);
      return d.lead.contact.language ? d : undefined;
    }, 'the contact language');
    expect(detail.lead.contact.language).toBe('ar');
    const [{ language_at: firstAt }] = (await sql<{ language_at: Date }>('select c.language_at from contacts c where c.wa_id = ?', [waId])) as [{ language_at: Date }];

    // a message with no language of its own keeps what their words said
    await say(waId, '3');
    await replies(waId, 2);
    const after = await api<LeadDetail>(`/leads/${reply!.lead_id}`);
    expect(after.lead.contact.language).toBe('ar');
    const [row] = await sql<{ language: string; language_at: Date }>('select language, language_at from contacts where wa_id = ?', [waId]);
    expect(row).toEqual({ language: 'ar', language_at: firstAt });
  });

  it('a Hindi WhatsApp lead is `hi` in the inbox list and the detail; switching to English follows them', async () => {
    const waId = testWaId();
    await say(waId, 'नमस्ते, मुझे दुबई मरीना में 2 बेडरूम फ्लैट खरीदना है, बजट 20 लाख दिरहम');
    const [reply] = await replies(waId, 1);
    expect(reply!.body).toMatch(/[\u0900-\u097f]/);
    const listed = await eventually(async () => {
      const page = await api<LeadPage>('/leads?limit=200');
      const item = page.items.find((l) => l.id === reply!.lead_id);
      return item?.contact.language ? item : undefined;
    }, 'the lead in the inbox with its language');
    expect(listed.contact.language).toBe('hi');
    expect((await api<LeadDetail>(`/leads/${reply!.lead_id}`)).lead.contact.language).toBe('hi');

    await say(waId, 'Actually I would prefer to continue in English please, my budget is 2M AED');
    await replies(waId, 2);
    const switched = await eventually(async () => {
      const d = await api<LeadDetail>(`/leads/${reply!.lead_id}`);
      return d.lead.contact.language === 'en' ? d : undefined;
    }, 'the language to follow the lead to English');
    expect(switched.lead.contact.language).toBe('en');
  });

  it('the OpenAPI document describes the language on the lead’s contact', async () => {
    const doc = (await (await fetch(`${h.baseUrl}/openapi.json`)).json()) as { components: { schemas: Record<string, { properties: Record<string, { properties?: Record<string, unknown> }> }> } };
    expect(doc.components.schemas.LeadSummary!.properties.contact!.properties).toHaveProperty('language');
    expect(doc.components.schemas.LeadDetail).toBeDefined();
  });
});

describe('the OpenAI agent answers in the lead’s language and the contact keeps it', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  let openai: FakeOpenAiServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const ARABIC_REPLY = 'أهلاً وسهلاً! فيلا 4 غرف نوم في دبي هيلز بميزانية 8 مليون درهم نقداً. متى تفكر في الشراء؟';

  beforeAll(async () => {
    meta = await startFakeMetaServer({ token: TOKEN });
    openai = await startFakeOpenAiServer({ apiKey: 'sk-test-language' });
    h = await startHarness({
      env: {
        WHATSAPP_APP_SECRET: SECRET, WHATSAPP_TOKEN: TOKEN, META_GRAPH_URL: meta.baseUrl,
        OPENAI_API_KEY: 'sk-test-language', OPENAI_BASE_URL: openai.baseUrl, EMBEDDINGS: 'offline',
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await meta?.close();
    await openai?.close();
  });

  it('an Arabic WhatsApp lead: the model is told to write Arabic, its Arabic reply is sent, the contact is `ar`', async () => {
    openai.script(() => ({
      content: {
        reply: ARABIC_REPLY,
        profile: { persona: null, city: null, areas: [], propertyType: null, bedsMin: null, bedsMax: null, budgetMin: null, budgetMax: null, currency: null, budgetPeriod: null, timeline: null, finance: null },
        intents: [], askedFor: 'timeline', unitIds: [],
      },
    }));
    const waId = testWaId();
    const text = 'مرحبا، أبحث عن فيلا 4 غرف نوم في دبي هيلز بميزانية 8 مليون درهم، الدفع نقداً';
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text }), { secret: SECRET })).status).toBe(200);
    const reply = await eventually(async () => {
      const rows = await sql<{ lead_id: string; body: string }>(
        `select a.lead_id, a.body from timeline_entries a join leads l on l.id = a.lead_id join contacts c on c.id = l.contact_id
          where c.wa_id = ? and a.direction = 'out' and a.delivery_status <> 'queued'`,
        [waId],
      );
      return rows[0];
    }, 'the reply', 60_000);
    expect(reply.body).toBe(ARABIC_REPLY);
    // the request that wrote it carried the lead's language and its writing rules
    const asked = openai.requests.find((r) => JSON.stringify(r.body.messages).includes('دبي هيلز'));
    expect(asked).toBeDefined();
    const context = String(asked!.body.messages?.[1]?.content);
    expect(context).toContain("Lead's language: Arabic (ar).");
    expect(context).toMatch(/right to left/);
    // the message Meta was asked to send is the model's Arabic text
    expect(meta.requests.some((r) => r.method === 'POST' && (r.body as { text?: { body?: string } } | undefined)?.text?.body === ARABIC_REPLY)).toBe(true);
    const detail = await eventually(async () => {
      const res = await fetch(`${h.baseUrl}/leads/${reply.lead_id}`, { headers: machineAuth });
      const d = (await res.json()) as LeadDetail;
      return d.lead.contact.language ? d : undefined;
    }, 'the contact language');
    expect(detail.lead.contact.language).toBe('ar');
  });
});
