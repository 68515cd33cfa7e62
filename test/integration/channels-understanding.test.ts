import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from '../support/harness';
import { agentReplies } from '../support/lead-lookup';
import { postWebhook, testWaId, testWamid, waChange, waEnvelope } from '../support/whatsapp.payloads';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';

// Issue 14, points 1-3 on the real servers, with Meta's documented payload shapes (WhatsApp
// text, interactive nfm_reply from a Flow, location, order and contacts messages; the Lead Ads
// leadgen webhook and the Graph lead body): Arabic and Hinglish leads understood and answered
// in their language, Flow and form answers in snake_case and in Arabic mapped to their fields,
// and only the lead's own words feeding the profile (a pin is a place; an address, an order and
// a contact card are never budgets).

const WA_SECRET = 'understanding-wa-secret';
const ADS_SECRET = 'understanding-leadads-secret';
const TOKEN = 'understanding-token';
const now = () => String(Math.floor(Date.now() / 1000));

interface ProfileRow {
  persona: string | null;
  city: string | null;
  areas: string[];
  property_type: string | null;
  beds_min: number | null;
  beds_max: number | null;
  budget_min: string | number | null;
  budget_max: string | number | null;
  currency: string | null;
  timeline: string | null;
  finance: string | null;
}

function waMessage(waId: string, body: Record<string, unknown>, name = 'Understanding Lead') {
  return waEnvelope([waChange({ contacts: [{ profile: { name }, wa_id: waId }], messages: [{ from: waId, id: testWamid(), timestamp: now(), ...body }] })]);
}
const waText = (waId: string, text: string) => waMessage(waId, { type: 'text', text: { body: text } });

describe('leads understood through the channels (issue 14, points 1-3)', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    meta = await startFakeMetaServer({ token: TOKEN });
    h = await startHarness({
      env: { WHATSAPP_APP_SECRET: WA_SECRET, WHATSAPP_TOKEN: TOKEN, LEADADS_APP_SECRET: ADS_SECRET, META_LEADS_TOKEN: TOKEN, META_GRAPH_URL: meta.baseUrl },
    });
  });
  afterAll(async () => {
    await h?.close();
    await meta?.close();
  });

  const post = async (body: object) => expect((await postWebhook(h.baseUrl, body, { secret: WA_SECRET })).status).toBe(200);
  /** The replies to a WhatsApp lead once there are `count` (oldest first). */
  const repliesTo = (waId: string, count: number) => agentReplies(h.orm, waId, count);
  /** The stored profile (the read model) once the turn's projection wrote it. */
  const profileOf = (leadId: string, ready: (p: ProfileRow) => boolean) =>
    eventually(async () => {
      const [p] = await sql<ProfileRow>('select persona, city, areas, property_type, beds_min, beds_max, budget_min, budget_max, currency, timeline, finance from lead_profiles where lead_id = ?', [leadId]);
      return p && ready(p) ? { ...p, budget_min: p.budget_min === null ? null : Number(p.budget_min), budget_max: p.budget_max === null ? null : Number(p.budget_max) } : undefined;
    }, `the profile of ${leadId}`, 60_000);

  it('1: the issue’s Arabic lead (villa, Dubai Hills, 8M AED, cash) is understood, scored and answered in Arabic', async () => {
    const waId = testWaId();
    await post(waText(waId, 'مرحبا، أبحث عن فيلا 4 غرف نوم في دبي هيلز بميزانية 8 مليون درهم، الدفع نقداً'));
    const [reply] = await repliesTo(waId, 1);
    const p = await profileOf(reply!.lead_id, (x) => x.persona !== null);
    expect(p).toMatchObject({ persona: 'buyer', city: 'Dubai', areas: ['Dubai Hills Estate'], property_type: 'villa', beds_min: 4, beds_max: 4, budget_max: 8_000_000, currency: 'AED', finance: 'cash' });
    const [lead] = await sql<{ score: number }>('select score from leads where id = ?', [reply!.lead_id]);
    expect(lead!.score).toBeGreaterThanOrEqual(40);
    // Arabic, right-to-left first, and it does not ask for the area the lead already gave
    expect(reply!.body).toMatch(/^[\u0600-\u06ff]/);
    expect(reply!.body).toContain('دبي هيلز');
  });

  it('1: a Hinglish lead from India ("do BHK", crore, "2 mahine mein") is understood and answered in Hinglish', async () => {
    const waId = `9198${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    await post(waText(waId, 'mujhe Powai mein do BHK chahiye, budget 1.5 crore, 2 mahine mein'));
    const [reply] = await repliesTo(waId, 1);
    const p = await profileOf(reply!.lead_id, (x) => x.beds_min !== null);
    expect(p).toMatchObject({ city: 'Mumbai', areas: ['Powai'], beds_min: 2, beds_max: 2, budget_max: 15_000_000, currency: 'INR', timeline: '0-3m' });
    expect(reply!.body).not.toMatch(/[\u0900-\u097f]/);
    expect(reply!.body).toMatch(/\b(?:hai|kar|ke liye|denge|lenge|chahiye)\b/);
  });

  it('2: a WhatsApp Flow reply (nfm_reply) with snake_case values maps each answer to its field; a rating is not a bedroom count', async () => {
    const waId = testWaId();
    const response = {
      flow_token: 'lead-intake-9c1d',
      purchase_timeline: 'within_3_months',
      budget: '5m_-_6.5m',
      property_type: 'villa',
      preferred_area: 'dubai_hills_estate',
      purchase_rating: 2,
      finance: 'mortgage_pre_approved',
    };
    await post(waMessage(waId, { type: 'interactive', context: { from: '15550783881', id: testWamid() }, interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: JSON.stringify(response) } } }));
    const [reply] = await repliesTo(waId, 1);
    const p = await profileOf(reply!.lead_id, (x) => x.timeline !== null);
    expect(p).toMatchObject({ city: 'Dubai', areas: ['Dubai Hills Estate'], property_type: 'villa', budget_min: 5_000_000, budget_max: 6_500_000, currency: 'AED', timeline: '0-3m', finance: 'preapproved' });
    expect(p.beds_min).toBeNull();
    expect(p.beds_max).toBeNull();
  });

  const leadAdsLead = async (answers: Array<[string, string]>) => {
    const leadgenId = `8${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e4)).padStart(4, '0')}`;
    meta.setLead(leadgenId, {
      created_time: new Date().toISOString().replace(/\.\d{3}Z$/, '+0000'), id: leadgenId, ad_id: '666666666668', form_id: '555555555558', campaign_id: '888888888890', is_organic: false, platform: 'fb',
      field_data: [
        { name: 'full_name', values: ['Mariam Test'] },
        { name: 'phone_number', values: [`+9715${String(randomInt(0, 1e8)).padStart(8, '0')}`] },
        { name: 'email', values: [`mariam-${randomUUID()}@example.com`] },
        ...answers.map(([name, value]) => ({ name, values: [value] })),
      ],
    });
    const webhook = { object: 'page', entry: [{ id: '153125381133', time: 1750000000, changes: [{ field: 'leadgen', value: { leadgen_id: leadgenId, page_id: '153125381133', form_id: '555555555558', created_time: Math.floor(Date.now() / 1000) } }] }] };
    expect((await postWebhook(h.baseUrl, webhook, { secret: ADS_SECRET, path: '/webhooks/leadads' })).status).toBe(200);
    return (await eventually(async () => (await sql<{ lead_id: string }>('select lead_id from timeline_entries where provider_id = ?', [leadgenId]))[0], 'the Lead Ads lead', 60_000)).lead_id;
  };

  it('2: Lead Ads answers in Arabic (Arabic-Indic digits, Arabic keys) fill the profile instead of leaving it empty', async () => {
    const leadId = await leadAdsLead([
      ['ما_هي_ميزانيتك؟', 'من ٢ إلى ٣ ملايين درهم'],
      ['المنطقة_المفضلة', 'دبي مارينا'],
      ['متى_تخطط_للشراء؟', 'خلال ٣ أشهر'],
      ['نوع_العقار', 'فيلا'],
    ]);
    const p = await profileOf(leadId, (x) => x.budget_max !== null);
    expect(p).toMatchObject({ city: 'Dubai', areas: ['Dubai Marina'], property_type: 'villa', budget_min: 2_000_000, budget_max: 3_000_000, currency: 'AED', timeline: '0-3m' });
  });

  it('2: Lead Ads option values in snake_case (ranges with underscores, buy_to_let, agreement_in_principle) map to their fields', async () => {
    const leadId = await leadAdsLead([
      ['when_are_you_looking_to_buy?', '0-3_months'],
      ['what_is_your_budget?', '500k_to_750k'],
      ['purpose_of_purchase', 'buy_to_let'],
      ['finance', 'agreement_in_principle'],
    ]);
    const p = await profileOf(leadId, (x) => x.budget_max !== null);
    expect(p).toMatchObject({ persona: 'investor', budget_min: 500_000, budget_max: 750_000, currency: 'AED', timeline: '0-3m', finance: 'preapproved' });
  });

  it('3: a shared location’s address (ZIP 94301), an order’s item prices and a contact card never become a budget, area or timeline', async () => {
    const waId = testWaId();
    await post(waMessage(waId, { type: 'location', location: { address: '1 Hacker Way, Palo Alto, CA 94301', latitude: 37.4443, longitude: -122.1598, name: 'Philz Coffee', url: 'https://www.philzcoffee.com' } }));
    await repliesTo(waId, 1);
    await post(waMessage(waId, { type: 'order', order: { catalog_id: '1537281180297215', text: 'For the deposit', product_items: [{ product_retailer_id: 'di9ozbzfi4', quantity: 1, item_price: 30, currency: 'USD' }, { product_retailer_id: 'nqryix03ez', quantity: 2, item_price: 25, currency: 'USD' }] } }));
    await repliesTo(waId, 2);
    await post(waMessage(waId, {
      type: 'contacts',
      contacts: [{ name: { formatted_name: 'Barbara J. Johnson', first_name: 'Barbara', last_name: 'Johnson' }, phones: [{ phone: '+1 (650) 555-9999', type: 'CELL', wa_id: '16505559999' }], emails: [{ email: 'bjohnson@example.com', type: 'WORK' }], addresses: [{ street: '1 Lakeside Ave', city: 'Menlo Park', zip: '94025', country_code: 'US' }] }],
    }));
    await repliesTo(waId, 3);
    await post(waText(waId, 'I want to rent a 1 bed in JLT'));
    const replies = await repliesTo(waId, 4);
    const p = await profileOf(replies[0]!.lead_id, (x) => x.persona !== null);
    expect(p).toMatchObject({ persona: 'tenant', areas: ['Jumeirah Lake Towers'], beds_min: 1, budget_min: null, budget_max: null, timeline: null });
    for (const r of replies) expect(r.body).not.toMatch(/94k|94,?301|\$ ?30|USD ?30|30 USD|25 USD/i);
  });

  it('3: a pin with coordinates only in Dubai Marina is Dubai Marina; a pin near no known area gets the area asked by name', async () => {
    const marina = testWaId();
    await post(waMessage(marina, { type: 'location', location: { latitude: 25.0805, longitude: 55.1403 } }));
    const [named] = await repliesTo(marina, 1);
    const p = await profileOf(named!.lead_id, (x) => x.areas.length > 0);
    expect(p).toMatchObject({ city: 'Dubai', areas: ['Dubai Marina'] });
    expect(named!.body).toContain('Dubai Marina');

    const far = testWaId();
    await post(waMessage(far, { type: 'location', location: { latitude: 37.4443, longitude: -122.1598, name: 'Philz Coffee', address: '1 Hacker Way, Palo Alto, CA 94301' } }));
    const [asked] = await repliesTo(far, 1);
    expect(asked!.body).toMatch(/which area|area called|community/i);
  });
});
