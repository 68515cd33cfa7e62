import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadRepository } from '../../db/lead.repository';
import { startHarness, eventually, type Harness } from '../support/harness';
import { postWebhook, testWaId, testWamid, waChange, waEnvelope } from '../support/whatsapp.payloads';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';

// Every documented WhatsApp webhook kind through the HTTP route, signed over the fixture's
// exact bytes: messages land in the lead's timeline with readable text, statuses move
// forward only, identity changes re-key the contact, and everything else is acknowledged.

const SECRET = 'test-app-secret';
const TOKEN = 'wa-token';
const SHEENA = '16505551234';
const PABLO_BSUID = 'US.13491208655302741918';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/meta/${name}`, import.meta.url), 'utf8');
const wamidOf = (body: string) => (JSON.parse(body) as { entry: Array<{ changes: Array<{ value: { messages?: Array<{ id: string }>; statuses?: Array<{ id: string }> } }> }> }).entry[0]!.changes[0]!.value;

/** Fixture → what the lead's timeline must say for it. */
const MESSAGE_FIXTURES: Array<[string, string]> = [
  ['wa-text.json', 'Does it come in another color?'],
  ['wa-text-context.json', 'Yes, the 2 bedroom one please'],
  ['wa-text-non-ascii.json', 'مرحبا، أبحث عن شقة في دبي مارينا — presupuesto 2M AED ✨'],
  ['wa-image.json', '[photo: Black jacket]'],
  ['wa-audio.json', '[voice message]'],
  ['wa-video.json', '[video: Walkthrough of the balcony]'],
  ['wa-document.json', '[document: pre-approval.pdf — My mortgage pre-approval]'],
  ['wa-sticker.json', '[sticker]'],
  ['wa-location.json', '[location: Philz Coffee, 1 Hacker Way, Menlo Park, CA 94025 (37.483253479004, -122.14796447754)]'],
  ['wa-contacts.json', '[shared contact: Barbara J. Johnson, +16505559999, +19175559999, bjohnson@example.com]'],
  ['wa-reaction.json', '[reacted 👍 to a message]'],
  ['wa-reaction-removed.json', '[removed a reaction]'],
  ['wa-button-reply.json', 'Buy'],
  ['wa-list-reply.json', 'Dubai Marina'],
  ['wa-nfm-reply.json', 'budget_aed: 2500000\nbedrooms: 2\nareas: Dubai Marina, JLT\npre_approved: true\nالاسم: سارة'],
  ['wa-order.json', '[order: 1 × di9ozbzfi4 @ 30 USD; 2 × nqryix03ez @ 25 USD] — Viewing fee for unit 1204'],
  ['wa-referral.json', 'Is this still available?'],
  ['wa-template-button.json', 'Stop promotions'],
];

describe('WhatsApp webhook: every documented payload kind', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const post = (name: string) => postWebhook(h.baseUrl, fixture(name), { secret: SECRET });

  beforeAll(async () => {
    meta = await startFakeMetaServer({ token: TOKEN });
    h = await startHarness({
      env: {
        WHATSAPP_APP_SECRET: SECRET,
        WHATSAPP_VERIFY_TOKEN: 'verify-me',
        WHATSAPP_TOKEN: TOKEN,
        META_GRAPH_URL: meta.baseUrl,
        WHATSAPP_REENGAGE_TEMPLATE: 'lead_follow_up',
        WHATSAPP_REENGAGE_TEMPLATE_LANGUAGE: 'en_US',
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await meta?.close();
  });

  const activity = (providerId: string) =>
    eventually(async () => {
      const rows = await sql<{ lead_id: string; body: string; meta: Record<string, unknown> }>('select lead_id, body, meta from timeline_entries where provider_id = ?', [providerId]);
      return rows[0];
    }, `activity ${providerId}`);

  it('answers the verification handshake only with the verify token', async () => {
    const ok = await fetch(`${h.baseUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=987654`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('987654');
    expect((await fetch(`${h.baseUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=987654`)).status).toBe(403);
  });

  it('records each message kind on the sender’s one lead with sensible text', async () => {
    for (const [name] of MESSAGE_FIXTURES) {
      const res = await post(name);
      expect(res.status, name).toBe(200);
      expect(res.json.messages, name).toBe(1);
    }
    const leadIds = new Set<string>();
    for (const [name, text] of MESSAGE_FIXTURES) {
      const row = await activity(wamidOf(fixture(name)).messages![0]!.id);
      expect(row.body, name).toBe(text);
      leadIds.add(row.lead_id);
    }
    expect(leadIds.size).toBe(1);
    const contacts = await sql<{ name: string; phone: string }>('select name, phone from contacts where wa_id = ?', [SHEENA]);
    expect(contacts).toEqual([{ name: 'Sheena Nelson', phone: `+${SHEENA}` }]);
    const referral = await activity(wamidOf(fixture('wa-referral.json')).messages![0]!.id);
    expect(referral.meta.attribution).toMatchObject({ source: 'ctwa', source_id: '120226305854810726', ctwa_clid: expect.stringMatching(/^Aff-/) });
    const lead = await sql<{ wa_phone_number_id: string }>('select wa_phone_number_id from leads where id = ?', [[...leadIds][0]]);
    expect(lead[0]!.wa_phone_number_id).toBe('106540352242922');

    // The fixtures' timestamps are long past: outside the 24-hour window only the template goes out.
    const sends = await eventually(async () => {
      const s = meta.requests.filter((r) => r.path === '/v23.0/106540352242922/messages' && (r.body as { to?: string }).to === SHEENA);
      return s.length > 0 ? s : undefined;
    }, 'a reply to the lead');
    for (const s of sends) {
      expect(s.body).toMatchObject({ type: 'template', template: { name: 'lead_follow_up', language: { code: 'en_US' } }, biz_opaque_callback_data: expect.stringMatching(/^lead-.+:turn:\d+$/) });
    }
  });

  it('acknowledges a redelivered body once: one message, two logged events', async () => {
    const body = fixture('wa-text.json');
    const wamid = wamidOf(body).messages![0]!.id;
    expect((await post('wa-text.json')).status).toBe(200);
    await activity(wamid);
    const rows = await sql<{ n: string }>('select count(*)::text as n from timeline_entries where provider_id = ?', [wamid]);
    expect(rows[0]!.n).toBe('1');
    const events = await sql<{ n: string }>('select count(*)::text as n from inbound_events where raw_body = ?', [body]);
    expect(Number(events[0]!.n)).toBeGreaterThanOrEqual(2);
  });

  it('resolves, stores and answers a BSUID-only sender', async () => {
    const res = await post('wa-bsuid-only.json');
    expect(res.json.messages).toBe(1);
    const row = await activity(wamidOf(fixture('wa-bsuid-only.json')).messages![0]!.id);
    expect(row.body).toBe('Hi, I saw your villa listing');
    const contacts = await sql<{ bsuid: string; wa_id: string | null; phone: string | null; name: string }>('select bsuid, wa_id, phone, name from contacts where bsuid = ?', [PABLO_BSUID]);
    expect(contacts).toEqual([{ bsuid: PABLO_BSUID, wa_id: null, phone: null, name: 'Pablo Morales' }]);
    const send = await eventually(async () => meta.requests.find((r) => (r.body as { recipient?: string } | undefined)?.recipient === PABLO_BSUID), 'the reply to the BSUID');
    expect(send.body).not.toHaveProperty('to');
  });

  it('takes the valid messages of a mixed batch and skips the rest, including unknown types and fields', async () => {
    const res = await post('wa-batch-mixed.json');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ messages: 2, skipped: 2 });
    expect((await activity('wamid.BATCH1')).body).toBe('first');
    expect((await activity('wamid.BATCH2')).body).toBe('second');
    const pablo = await sql<{ bsuid: string }>('select bsuid from contacts where wa_id = ?', ['16505554321']);
    expect(pablo[0]!.bsuid).toBe('US.99887766554433221100');

    // An unsupported kind is a message: it lands on the lead (and gets an ask for text, channels-lead-actions.test.ts).
    const unsupported = await post('wa-unsupported.json');
    expect(unsupported.json).toMatchObject({ messages: 1, skipped: 0 });
    expect((await activity(wamidOf(fixture('wa-unsupported.json')).messages![0]!.id)).body).toBe('[unsupported message: edit]');

    // Fields Meta adds later are ignored, not fatal.
    const extended = fixture('wa-text.json')
      .replace('"type":"text",', '"type":"text","future_field":{"x":1},')
      .replace('wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', 'wamid.EXTENDED1')
      .replace('"field":"messages"', '"field":"messages","also_new":true');
    const ext = await postWebhook(h.baseUrl, extended, { secret: SECRET });
    expect(ext.json.messages).toBe(1);
    expect((await activity('wamid.EXTENDED1')).body).toBe('Does it come in another color?');
  });

  it("opens a new sender's lead with the first message's source and number; a later ad click in the same batch is a touch", async () => {
    const waId = testWaId();
    const [plain, clicked] = [testWamid(), testWamid()];
    const at = String(Math.floor(Date.now() / 1000));
    const referral = { source_type: 'ad', source_id: '120226305854810726', source_url: 'https://fb.me/3cr4Wqqkv', ctwa_clid: 'Aff-test' };
    const res = await postWebhook(
      h.baseUrl,
      waEnvelope([
        waChange({
          contacts: [{ profile: { name: 'Batch Lead' }, wa_id: waId }],
          messages: [
            { from: waId, id: plain, timestamp: at, type: 'text', text: { body: 'Hello' } },
            { from: waId, id: clicked, timestamp: at, type: 'text', text: { body: 'Is this still available?' }, referral },
          ],
        }, '106540352249999'),
      ]),
      { secret: SECRET },
    );
    expect(res.json.messages).toBe(2);
    const leadId = (await activity(clicked)).lead_id;
    const [lead] = await sql<{ source: { channel: string; source_id?: string; touches?: Array<Record<string, unknown>> }; wa_phone_number_id: string }>(
      'select source, wa_phone_number_id from leads where id = ?',
      [leadId],
    );
    expect(lead!.wa_phone_number_id).toBe('106540352249999');
    expect(lead!.source).toMatchObject({ channel: 'whatsapp' });
    expect(lead!.source.source_id).toBeUndefined();
    expect(lead!.source.touches).toEqual([expect.objectContaining({ channel: 'whatsapp', source_id: '120226305854810726' })]);
  });

  it('logs and acknowledges webhook-level errors', async () => {
    const res = await post('wa-errors.json');
    expect(res.status).toBe(200);
    expect(res.json.errors).toBe(1);
    const event = await sql<{ status: string }>('select status from inbound_events where id = ?', [res.json.eventId]);
    expect(event[0]!.status).toBe('processed');
  });

  it('updates delivery status by callback data or wamid, never backwards, whatever the arrival order', async () => {
    const leadId = (await activity(wamidOf(fixture('wa-text.json')).messages![0]!.id)).lead_id;
    const repo = new LeadRepository(h.orm.em.fork());
    // Our send timed out before Meta answered: the row has our key but no wamid yet.
    const row = await repo.claimOutbound({ leadId, text: 'seeded reply', idempotencyKey: 'turn-lead-0b6c-7', channel: 'whatsapp' });
    const wamid = wamidOf(fixture('wa-status-sent.json')).statuses![0]!.id;
    const statusOf = async () => (await sql<{ delivery_status: string; provider_id: string | null; meta: Record<string, unknown> }>('select delivery_status, provider_id, meta from timeline_entries where id = ?', [row.id]))[0]!;

    expect((await post('wa-status-sent.json')).json.statuses).toBe(1);
    expect(await statusOf()).toMatchObject({ delivery_status: 'sent', provider_id: wamid });
    await post('wa-status-read.json');
    expect((await statusOf()).delivery_status).toBe('read');
    for (const late of ['wa-status-delivered.json', 'wa-status-sent.json', 'wa-status-failed.json']) {
      expect((await post(late)).status).toBe(200);
      expect((await statusOf()).delivery_status, late).toBe('read');
    }

    // A failure is recorded with Meta's errors; a later delivered is proof it arrived after all.
    const other = await repo.claimOutbound({ leadId, text: 'second seeded reply', idempotencyKey: `seed-${Date.now()}`, channel: 'whatsapp' });
    await repo.markOutbound(other.id, 'sent', 'wamid.SEEDED2');
    const failed = fixture('wa-status-failed.json').replace(wamid, 'wamid.SEEDED2');
    await postWebhook(h.baseUrl, failed, { secret: SECRET });
    const afterFail = (await sql<{ delivery_status: string; meta: { deliveryErrors?: Array<{ code: number }> } }>('select delivery_status, meta from timeline_entries where id = ?', [other.id]))[0]!;
    expect(afterFail.delivery_status).toBe('failed');
    expect(afterFail.meta.deliveryErrors?.[0]?.code).toBe(131047);
    await postWebhook(h.baseUrl, fixture('wa-status-sent.json').replace(wamid, 'wamid.SEEDED2').replace('turn-lead-0b6c-7', 'x'), { secret: SECRET });
    expect((await sql<{ delivery_status: string }>('select delivery_status from timeline_entries where id = ?', [other.id]))[0]!.delivery_status).toBe('failed');
    await postWebhook(h.baseUrl, fixture('wa-status-delivered.json').replace(wamid, 'wamid.SEEDED2'), { secret: SECRET });
    expect((await sql<{ delivery_status: string }>('select delivery_status from timeline_entries where id = ?', [other.id]))[0]!.delivery_status).toBe('delivered');

    // A status for a message that is not ours is acknowledged and changes nothing.
    const unknown = await postWebhook(h.baseUrl, fixture('wa-status-read.json').replace(wamid, 'wamid.NOT_OURS'), { secret: SECRET });
    expect(unknown.status).toBe(200);
  });

  it('re-keys the contact when the person changes number or business-scoped user id', async () => {
    const before = (await sql<{ id: string }>('select id from contacts where wa_id = ?', [SHEENA]))[0]!;
    const res = await post('wa-system-changed-number.json');
    expect(res.json.identityChanges).toBe(1);
    const after = await sql<{ wa_id: string; phone: string; bsuid: string }>('select wa_id, phone, bsuid from contacts where id = ?', [before.id]);
    expect(after[0]).toEqual({ wa_id: '16505559876', phone: '+16505559876', bsuid: 'US.8743261590123456789' });
    const note = await sql<{ type: string; body: string }>('select type, body from timeline_entries where provider_id = ?', [wamidOf(fixture('wa-system-changed-number.json')).messages![0]!.id]);
    expect(note[0]).toEqual({ type: 'note', body: 'User Sheena Nelson changed from 16505551234 to 16505559876' });

    const pablo = (await sql<{ id: string }>('select id from contacts where bsuid = ?', [PABLO_BSUID]))[0]!;
    expect((await post('wa-system-changed-user-id.json')).json.identityChanges).toBe(1);
    const rekeyed = await sql<{ bsuid: string }>('select bsuid from contacts where id = ?', [pablo.id]);
    expect(rekeyed[0]!.bsuid).toBe('US.5550001234567890123');
  });
});
