import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMS_HELP_REPLY } from '../../channels/sms/sms.channel';
import { InboundEventRepository } from '../../db/inbound-event.repository';
import { eventually, startHarness, type Harness } from '../support/harness';
import { postTwilio, twilioFixture, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER } from '../support/sms.payloads';
import { testWaId, waTextPayload } from '../support/whatsapp.payloads';

// WEBHOOK_ACK=async for SMS (#13): Twilio gets its TwiML once the event is stored, HELP still
// answered in it, and the intake follows in the background. Twilio does not redeliver a webhook
// it gave up on, so an event an API instance acknowledged and never finished (it died) must be
// found by the hand-on sweep and taken in from its stored body, at the time it was received.

describe('SMS acknowledged before the hand-on, and the sweep of unfinished events', () => {
  let h: Harness;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const newPhone = () => `+${testWaId()}`;
  const inboundOf = (column: 'phone' | 'wa_id', value: string) =>
    sql<{ body: string; created_at: Date }>(
      `select a.body, a.created_at from timeline_entries a join leads l on l.id = a.lead_id join contacts c on c.id = l.contact_id where c.${column} = ? and a.direction = 'in' order by a.created_at`,
      [value],
    );

  beforeAll(async () => {
    // A sweep every 10 s (its floor) of events left `received` for more than 2 s.
    h = await startHarness({ env: { WEBHOOK_ACK: 'async', WEBHOOK_HANDON_SWEEP_AFTER_MS: '2000', TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER: TWILIO_NUMBER } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers Twilio with TwiML at once, then takes the messages in; HELP is answered in the TwiML and stays off the lead', async () => {
    const phone = newPhone();
    const text = twilioFixture('sms-inbound-text.json', { From: phone, To: TWILIO_NUMBER, Body: 'Hi, 3 bed townhouse in Dubai Hills?' });
    const res = await postTwilio(h.baseUrl, '/webhooks/sms', text);
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/text\/xml/);
    expect(res.text).not.toContain('<Message>');
    const help = await postTwilio(h.baseUrl, '/webhooks/sms', twilioFixture('sms-inbound-text.json', { From: phone, To: TWILIO_NUMBER, Body: 'HELP' }));
    expect(help.status).toBe(200);
    expect(help.text).toContain(SMS_HELP_REPLY.slice(0, 20));

    const rows = await eventually(async () => {
      const r = await sql<{ status: string }>(`select status from inbound_events where source = 'sms' and ? = any(provider_ids)`, [text.MessageSid]);
      return r[0]?.status === 'processed' ? r : undefined;
    }, 'the SMS event handed on');
    expect(rows).toHaveLength(1);
    const inbound = await eventually(async () => {
      const r = await inboundOf('phone', phone);
      return r.length > 0 ? r : undefined;
    }, 'the message on the lead');
    expect(inbound.map((r) => r.body)).toEqual(['Hi, 3 bed townhouse in Dubai Hills?']);
  });

  it('takes in WhatsApp and SMS events an instance acknowledged but never finished, at the time they were received', async () => {
    const events = new InboundEventRepository(h.orm.em.fork());
    const phone = newPhone();
    const waId = testWaId();
    const sms = await events.record({
      source: 'sms',
      rawBody: new URLSearchParams(twilioFixture('sms-inbound-text.json', { From: phone, To: TWILIO_NUMBER, Body: 'Still looking for a villa' })).toString(),
      contentType: 'application/x-www-form-urlencoded',
      signatureValid: true,
    });
    const wa = await events.record({ source: 'whatsapp', rawBody: JSON.stringify(waTextPayload({ waId, text: 'Is the Marina flat free?' })), contentType: 'application/json', signatureValid: true });
    // Acknowledged a minute ago by an instance that died before handing them on.
    const receivedAt = new Date(Date.now() - 60_000);
    await sql(`update inbound_events set received_at = ? where id in (?, ?)`, [receivedAt, sms.id, wa.id]);

    const swept = await eventually(async () => {
      const r = await sql<{ id: string; status: string }>(`select id, status from inbound_events where id in (?, ?)`, [sms.id, wa.id]);
      return r.every((e) => e.status === 'processed') ? r : undefined;
    }, 'both events swept and taken in', 90_000);
    expect(swept).toHaveLength(2);
    // Taken in means handed to the lead's workflow, which writes the timeline.
    const [smsIn] = await eventually(async () => {
      const r = await inboundOf('phone', phone);
      return r.length > 0 ? r : undefined;
    }, 'the swept SMS on its lead');
    expect(smsIn?.body).toBe('Still looking for a villa');
    // The SMS carries no time of its own: it keeps the time it was received, not the sweep's.
    expect(Math.abs(new Date(smsIn!.created_at).getTime() - receivedAt.getTime())).toBeLessThan(1000);
    const waIn = await eventually(async () => {
      const r = await inboundOf('wa_id', waId);
      return r.length > 0 ? r : undefined;
    }, 'the swept WhatsApp message on its lead');
    expect(waIn.map((r) => r.body)).toEqual(['Is the Marina flat free?']);
  }, 120_000);
});
