import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';
import { postTwilio, TWILIO_AUTH_TOKEN } from '../support/sms.payloads';
import { postWebhook, testWaId, testWamid, waChange, waEnvelope } from '../support/whatsapp.payloads';

const SECRET = 'test-app-secret';

describe('bad input on the WhatsApp webhook', () => {
  let h: Harness;
  beforeAll(async () => {
    // No worker: nothing here may reach a workflow.
    h = await startHarness({ env: { WHATSAPP_APP_SECRET: SECRET, TWILIO_AUTH_TOKEN }, worker: false });
  });
  afterAll(async () => h?.close());

  const counts = async () => {
    const rows = await h.orm.em.fork().getConnection().execute<{ leads: string; contacts: string; timelineEntries: string }[]>(
      `select (select count(*) from leads)::text as leads, (select count(*) from contacts)::text as contacts, (select count(*) from timeline_entries)::text as "timelineEntries"`,
    );
    return rows[0]!;
  };
  const eventFor = async (marker: string) =>
    h.orm.em.fork().getConnection().execute<{ status: string; error: string | null; raw_body: string }[]>(
      'select status, error, raw_body from inbound_events where raw_body like ?',
      [`%${marker}%`],
    );

  it('answers malformed JSON with 400 and keeps the raw event', async () => {
    const before = await counts();
    const marker = randomBytes(6).toString('hex');
    const res = await postWebhook(h.baseUrl, `{"object":"whatsapp_business_account","entry":[ ${marker}`, { secret: SECRET });
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe('invalid_json');
    const events = await eventFor(marker);
    expect(events).toHaveLength(1);
    expect(events[0]!.status).toBe('failed');
    expect(events[0]!.error).toMatch(/malformed JSON/);
    expect(await counts()).toEqual(before);
  });

  it('answers a JSON body that is not a WhatsApp envelope with 400 and keeps the raw event', async () => {
    const before = await counts();
    const marker = randomBytes(6).toString('hex');
    const res = await postWebhook(h.baseUrl, { hello: 'world', marker }, { secret: SECRET });
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe('invalid_envelope');
    expect((await eventFor(marker))[0]?.status).toBe('failed');
    expect(await counts()).toEqual(before);
  });

  it('keeps a message of an unknown type: 200, and the person gets a contact and a lead (issue 14)', async () => {
    const wamid = testWamid();
    const waId = testWaId();
    const payload = waEnvelope([
      waChange({
        contacts: [{ profile: { name: 'Test Lead' }, wa_id: waId }],
        messages: [{ from: waId, id: wamid, timestamp: '1749416383', type: 'hologram', hologram: { id: 'x' } }],
      }),
    ]);
    const res = await postWebhook(h.baseUrl, payload, { secret: SECRET });
    expect(res.status).toBe(200);
    expect(res.json.messages).toBe(1);
    expect(res.json.skipped).toBe(0);
    expect((await eventFor(wamid))[0]?.status).toBe('processed');
    // The intake opened the lead and signalled its workflow (no worker runs here: the timeline comes later).
    const rows = await h.orm.em.fork().getConnection().execute<{ channel: string; name: string }[]>(
      'select l.channel, c.name from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?',
      [waId],
    );
    expect(rows).toEqual([{ channel: 'whatsapp', name: 'Test Lead' }]);
  });

  it('refuses a forged or missing signature with 401 and stores only a small expiring record of it', async () => {
    const marker = randomBytes(6).toString('hex');
    const body = { object: 'whatsapp_business_account', entry: [], marker, pad: 'x'.repeat(200_000) };
    const forged = await postWebhook(h.baseUrl, body, { signature: `sha256=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    expect(forged.json.error?.code).toBe('invalid_signature');
    const missing = await postWebhook(h.baseUrl, body);
    expect(missing.status).toBe(401);
    // Nothing of it in the event log: unsigned traffic cannot fill the database.
    expect(await eventFor(marker)).toHaveLength(0);
    const sha256 = (forged.json.error?.details as { sha256: string }).sha256;
    const key = `rejected-webhook:whatsapp:${sha256}`;
    const record = JSON.parse((await h.redis.get(key))!) as { size: number; head: string };
    expect(record.size).toBe(Buffer.byteLength(JSON.stringify(body)));
    expect(Buffer.from(record.head, 'base64').length).toBeLessThanOrEqual(64);
    const ttl = await h.redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(72 * 3600);
  });

  it('refuses a body over 3 MB with 413', async () => {
    const big = JSON.stringify({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(3 * 1024 * 1024 + 10) });
    const res = await postWebhook(h.baseUrl, big, { secret: SECRET });
    expect(res.status).toBe(413);
    expect(res.json.error?.code).toBe('payload_too_large');
  });

  it('refuses a signed SMS webhook that is not Twilio’s form with 400 and keeps the raw event', async () => {
    const before = await counts();
    const marker = randomBytes(6).toString('hex');
    const notTwilio = await postTwilio(h.baseUrl, '/webhooks/sms', { hello: 'world', marker });
    expect(notTwilio.status).toBe(400);
    expect(notTwilio.json?.error?.code).toBe('invalid_envelope');
    // Signed as Twilio would sign these bytes (the check comes first), but not a form.
    const raw = JSON.stringify({ marker });
    const json = await postTwilio(h.baseUrl, '/webhooks/sms', Object.fromEntries(new URLSearchParams(raw)), { contentType: 'application/json', rawBody: raw });
    expect(json.status).toBe(400);
    expect(json.json?.error?.code).toBe('invalid_form');
    const events = await eventFor(marker);
    expect(events.map((e) => e.status)).toEqual(['failed', 'failed']);
    expect(await counts()).toEqual(before);
  });
});
