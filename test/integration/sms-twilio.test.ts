import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMS_HELP_REPLY } from '../../channels/sms/sms.channel';
import { startFakeTwilioServer, type FakeTwilioServer } from '../fakes/twilio.server';
import { eventually, startHarness, type Harness } from '../support/harness';
import { postTwilio, twilioFixture, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER } from '../support/sms.payloads';
import { testWaId } from '../support/whatsapp.payloads';

// SMS end to end on the real servers: Twilio's signed form webhook → intake → lead workflow →
// agent → reply router → the official twilio client → the fake Twilio API; then Twilio's
// status callbacks move the reply's delivery status forward only.

describe('SMS through Twilio', () => {
  let h: Harness;
  let fake: FakeTwilioServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const newPhone = () => `+${testWaId()}`;
  const sendsTo = (phone: string) => fake.sends().filter((r) => r.params.To === phone);

  beforeAll(async () => {
    fake = await startFakeTwilioServer({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });
    h = await startHarness({
      env: { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER: TWILIO_NUMBER, TWILIO_API_URL: fake.baseUrl },
    });
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  async function replies(phone: string, count = 1) {
    return eventually(async () => {
      const rows = await sql<{ body: string; delivery_status: string; provider_id: string | null; idempotency_key: string; meta: { channel?: string; error?: string } }>(
        `select a.body, a.delivery_status, a.provider_id, a.idempotency_key, a.meta from timeline_entries a join leads l on l.id = a.lead_id join contacts c on c.id = l.contact_id
          where c.phone = ? and a.direction = 'out' and a.delivery_status <> 'queued' order by a.created_at`,
        [phone],
      );
      return rows.length >= count ? rows : undefined;
    }, `${count} reply(ies) to ${phone}`);
  }

  it('turns a signed Twilio webhook into a lead and sends the agent reply through the Messages API once', async () => {
    const phone = newPhone();
    const params = twilioFixture('sms-inbound-text.json', { From: phone, To: TWILIO_NUMBER });
    const res = await postTwilio(h.baseUrl, '/webhooks/sms', params);
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/text\/xml/);
    expect(res.text).toContain('<Response/>');

    const [lead] = await sql<{ id: string; channel: string; market: string }>(`select l.id, l.channel, l.market from leads l join contacts c on c.id = l.contact_id where c.phone = ?`, [phone]);
    expect(lead).toMatchObject({ channel: 'sms', market: 'AE' });
    const [reply] = await replies(phone);
    const inbound = await sql<{ body: string; meta: { channel: string } }>(`select body, meta from timeline_entries where provider_id = ?`, [params.MessageSid]);
    expect(inbound[0]).toMatchObject({ body: params.Body, meta: { channel: 'sms' } });
    expect(reply!.delivery_status).toBe('sent');
    expect(reply!.meta.channel).toBe('sms');
    expect(reply!.provider_id).toMatch(/^SM[0-9a-f]{32}$/);
    const sends = sendsTo(phone);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.params).toMatchObject({ To: phone, From: TWILIO_NUMBER, Body: reply!.body });
    expect(sends[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`${TWILIO_ACCOUNT_SID}:${TWILIO_AUTH_TOKEN}`).toString('base64')}`);

    // A redelivered webhook is the same message: no second lead, no second reply.
    expect((await postTwilio(h.baseUrl, '/webhooks/sms', params)).status).toBe(200);
    const leads = await sql<{ id: string }>(`select l.id from leads l join contacts c on c.id = l.contact_id where c.phone = ?`, [phone]);
    expect(leads).toHaveLength(1);
    expect(await replies(phone)).toHaveLength(1);
  });

  it('moves a reply’s delivery status forward only from signed status callbacks', async () => {
    const phone = newPhone();
    await postTwilio(h.baseUrl, '/webhooks/sms', twilioFixture('sms-inbound-text.json', { From: phone, Body: 'Looking for a villa in Dubai Hills' }));
    const [reply] = await replies(phone);
    const status = (name: string, over: Record<string, string> = {}) =>
      postTwilio(h.baseUrl, '/webhooks/sms/status', twilioFixture(name, { MessageSid: reply!.provider_id!, To: phone, From: TWILIO_NUMBER, ...over }));

    expect((await status('sms-status-delivered.json', { MessageStatus: 'sent', SmsStatus: 'sent' })).status).toBe(200);
    expect((await status('sms-status-delivered.json')).status).toBe(200);
    const [delivered] = await replies(phone);
    expect(delivered!.delivery_status).toBe('delivered');

    // Late or repeated callbacks never move it back.
    await status('sms-status-delivered.json', { MessageStatus: 'sent', SmsStatus: 'sent' });
    await status('sms-status-undelivered.json');
    const [after] = await replies(phone);
    expect(after!.delivery_status).toBe('delivered');
  });

  it('records undelivered with Twilio’s error code', async () => {
    const phone = newPhone();
    await postTwilio(h.baseUrl, '/webhooks/sms', twilioFixture('sms-inbound-text.json', { From: phone, Body: 'Do you have townhouses?' }));
    const [reply] = await replies(phone);
    await postTwilio(h.baseUrl, '/webhooks/sms/status', twilioFixture('sms-status-undelivered.json', { MessageSid: reply!.provider_id!, To: phone }));
    const rows = await sql<{ delivery_status: string; meta: { deliveryErrors?: Array<{ code: number }> } }>(`select delivery_status, meta from timeline_entries where provider_id = ?`, [reply!.provider_id]);
    expect(rows[0]!.delivery_status).toBe('undelivered');
    expect(rows[0]!.meta.deliveryErrors).toEqual([{ code: 30003 }]);
  });

  it('refuses forged and missing signatures with 403 in the error envelope and stores none of them', async () => {
    const marker = randomBytes(6).toString('hex');
    const params = twilioFixture('sms-inbound-text.json', { From: newPhone(), Body: `forged ${marker}` });
    // Scoped to this sender and message: the other tests' leads keep writing timeline rows
    // (replies, delivery statuses, timers) while this one runs, so global counts race.
    const stored = async () => (await sql<{ contacts: string; leads: string; entries: string }>(
      `select (select count(*) from contacts where phone = ?)::text as contacts,
              (select count(*) from leads l join contacts c on c.id = l.contact_id where c.phone = ?)::text as leads,
              (select count(*) from timeline_entries where provider_id = ?)::text as entries`,
      [params.From, params.From, params.MessageSid],
    ))[0];

    const forged = await postTwilio(h.baseUrl, '/webhooks/sms', params, { token: 'not-the-auth-token' });
    expect(forged.status).toBe(403);
    expect(forged.json?.error).toMatchObject({ code: 'invalid_signature', message: 'Invalid or missing X-Twilio-Signature' });
    const missing = await postTwilio(h.baseUrl, '/webhooks/sms', params, { signature: null });
    expect(missing.status).toBe(403);
    // Signed for another URL: the signature covers where Twilio called, not only the parameters.
    const elsewhere = await postTwilio(h.baseUrl, '/webhooks/sms', params, { signedUrl: 'https://attacker.example/webhooks/sms' });
    expect(elsewhere.status).toBe(403);
    // Signed, then a parameter changed on the way.
    const tampered = await postTwilio(h.baseUrl, '/webhooks/sms', params, {
      signature: (await import('twilio')).default.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, `${h.baseUrl}/webhooks/sms`, params),
      rawBody: new URLSearchParams({ ...params, Body: `changed ${marker}` }).toString(),
    });
    expect(tampered.status).toBe(403);

    // Checked before anything is stored: none of the four reached the event log.
    const events = await sql<{ status: string }>(`select status from inbound_events where raw_body like ?`, [`%${marker}%`]);
    expect(events).toHaveLength(0);
    expect(await stored()).toEqual({ contacts: '0', leads: '0', entries: '0' });
    expect(fake.sends().filter((s) => s.params.To === params.From)).toHaveLength(0);
  });

  it('answers HELP with a short help text in TwiML and does not hand it to the agent', async () => {
    const phone = newPhone();
    const params = twilioFixture('sms-inbound-text.json', { From: phone, Body: 'HELP' });
    const res = await postTwilio(h.baseUrl, '/webhooks/sms', params);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<Message>${SMS_HELP_REPLY.replace(/&/g, '&amp;')}</Message>`);
    expect(await sql(`select id from timeline_entries where provider_id = ?`, [params.MessageSid])).toHaveLength(0);
    const [event] = await sql<{ status: string; provider_ids: string[] }>(`select status, provider_ids from inbound_events where raw_body like ?`, [`%${params.MessageSid}%`]);
    expect(event).toMatchObject({ status: 'processed', provider_ids: [params.MessageSid] });
  });

  it('takes MMS media as the message’s media and describes it to the agent', async () => {
    const phone = newPhone();
    const params = twilioFixture('sms-inbound-mms.json', { From: phone });
    expect((await postTwilio(h.baseUrl, '/webhooks/sms', params)).status).toBe(200);
    const rows = await eventually(async () => {
      const r = await sql<{ body: string; meta: { kind: string; channel: string } }>(`select body, meta from timeline_entries where provider_id = ?`, [params.MessageSid]);
      return r.length > 0 ? r : undefined;
    }, 'the MMS on the timeline');
    expect(rows[0]).toMatchObject({ body: params.Body, meta: { kind: 'image', channel: 'sms' } });
  });
});
