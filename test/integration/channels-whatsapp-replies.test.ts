import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, eventually, type Harness } from '../support/harness';
import { postWebhook, testWaId, waChange, waEnvelope, waTextPayload } from '../support/whatsapp.payloads';
import { startFakeMetaServer, type FakeMetaServer, type RecordedRequest } from '../fakes/meta.server';

// Replies on WhatsApp: the real Cloud API client against the fake Meta server, driven by the
// lead workflow's deliverReply activity.

const SECRET = 'test-app-secret';
const TOKEN = 'wa-token';
const PHONE_NUMBER_ID = '106540352242922';
const fixtureJson = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/meta/${name}`, import.meta.url), 'utf8')) as unknown;

function statusPayload(wamid: string, status: string, recipient: string) {
  return waEnvelope([waChange({ statuses: [{ id: wamid, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: recipient }] }, PHONE_NUMBER_ID)]);
}

describe('WhatsApp replies through the Cloud API', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const sendsTo = (to: string) => meta.requests.filter((r) => r.method === 'POST' && (r.body as { to?: string } | undefined)?.to === to);

  beforeAll(async () => {
    meta = await startFakeMetaServer({ token: TOKEN });
    h = await startHarness({
      env: {
        WHATSAPP_APP_SECRET: SECRET,
        WHATSAPP_TOKEN: TOKEN,
        META_GRAPH_URL: meta.baseUrl,
        META_API_VERSION: 'v23.0',
        WHATSAPP_REENGAGE_TEMPLATE: 'lead_follow_up',
        WHATSAPP_REENGAGE_TEMPLATE_LANGUAGE: 'en_US',
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await meta?.close();
  });

  async function outbound(waId: string, count = 1) {
    return eventually(async () => {
      const rows = await sql<{ id: string; body: string; delivery_status: string; provider_id: string | null; idempotency_key: string; meta: { error?: string } }>(
        `select a.id, a.body, a.delivery_status, a.provider_id, a.idempotency_key, a.meta from timeline_entries a join leads l on l.id = a.lead_id join contacts c on c.id = l.contact_id
         where c.wa_id = ? and a.direction = 'out' and a.delivery_status <> 'queued' order by a.created_at`,
        [waId],
      );
      return rows.length >= count ? rows : undefined;
    }, `${count} reply(ies) to ${waId}`);
  }

  it('answers inside the 24-hour window with free text, keyed by the turn, then follows its statuses', async () => {
    const waId = testWaId();
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hi, 2 bed in Dubai Marina please' }), { secret: SECRET })).status).toBe(200);
    const [reply] = await outbound(waId);
    expect(reply!.delivery_status).toBe('sent');
    const sends = sendsTo(waId);
    expect(sends).toHaveLength(1);
    const send = sends[0]!;
    expect(send.path).toBe(`/v23.0/${PHONE_NUMBER_ID}/messages`);
    expect(send.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(send.body).toMatchObject({ messaging_product: 'whatsapp', type: 'text', text: { body: reply!.body }, biz_opaque_callback_data: reply!.idempotency_key });
    expect(reply!.idempotency_key).toMatch(/^lead-.+:turn:1$/);
    expect(reply!.provider_id).toMatch(/^wamid\./);

    await postWebhook(h.baseUrl, statusPayload(reply!.provider_id!, 'delivered', waId), { secret: SECRET });
    await postWebhook(h.baseUrl, statusPayload(reply!.provider_id!, 'sent', waId), { secret: SECRET });
    const [after] = await outbound(waId);
    expect(after!.delivery_status).toBe('delivered');
  });

  it('sends only the approved template outside the window', async () => {
    const waId = testWaId();
    const payload = waTextPayload({ waId, text: 'Still looking for a villa' });
    const message = payload.entry[0]!.changes[0]!.value.messages[0]!;
    message.timestamp = String(Math.floor(Date.now() / 1000) - 3 * 24 * 3600);
    await postWebhook(h.baseUrl, payload, { secret: SECRET });
    const [reply] = await outbound(waId);
    expect(reply!.delivery_status).toBe('sent');
    const sends = sendsTo(waId);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.body).toMatchObject({ type: 'template', template: { name: 'lead_follow_up', language: { code: 'en_US' } } });
    expect(sends[0]!.body).not.toHaveProperty('text');
  });

  it('retries a throughput error with the same key and sends once', async () => {
    const waId = testWaId();
    meta.failNext({ method: 'POST', pathIncludes: '/messages' }, { status: 400, body: fixtureJson('wa-send-error-throughput.json') });
    await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Any townhouses in Dubai Hills?' }), { secret: SECRET });
    const [reply] = await outbound(waId);
    expect(reply!.delivery_status).toBe('sent');
    const attempts: RecordedRequest[] = sendsTo(waId);
    expect(attempts).toHaveLength(2);
    expect(new Set(attempts.map((a) => (a.body as { biz_opaque_callback_data: string }).biz_opaque_callback_data))).toEqual(new Set([reply!.idempotency_key]));
  });

  it('marks a permanent send error failed without retrying, and the lead goes on', async () => {
    const waId = testWaId();
    meta.failNext(
      { method: 'POST', pathIncludes: '/messages' },
      { status: 400, body: { error: { message: '(#131026) Message undeliverable', type: 'OAuthException', code: 131026, fbtrace_id: 'x' } } },
    );
    await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hello there' }), { secret: SECRET });
    const [failed] = await outbound(waId);
    expect(failed!.delivery_status).toBe('failed');
    expect(failed!.meta.error).toMatch(/^recipient:/);
    expect(sendsTo(waId)).toHaveLength(1);

    await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Are you there?' }), { secret: SECRET });
    const replies = await outbound(waId, 2);
    expect(replies[1]!.delivery_status).toBe('sent');
  });

  it('falls back to the template when Meta says the window has closed', async () => {
    const waId = testWaId();
    meta.failNext({ method: 'POST', pathIncludes: '/messages' }, { status: 400, body: fixtureJson('wa-send-error-131047.json') });
    await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Is it still for sale?' }), { secret: SECRET });
    const [reply] = await outbound(waId);
    expect(reply!.delivery_status).toBe('sent');
    const sends = sendsTo(waId);
    expect(sends.map((s) => (s.body as { type: string }).type)).toEqual(['text', 'template']);
  });
});
