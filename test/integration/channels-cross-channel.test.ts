import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadState } from '../../domain/lead-state.model';
import { createReplies } from '../../temporal/worker.factory';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';
import { startFakeTwilioServer, type FakeTwilioServer } from '../fakes/twilio.server';
import { eventually, startHarness, type Harness } from '../support/harness';
import { postTwilio, twilioFixture, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER } from '../support/sms.payloads';
import { postWebhook, testWaId, testWamid, TEST_PHONE_NUMBER_ID, waTextPayload } from '../support/whatsapp.payloads';

// One person, several channels: an SMS number and the same number's WhatsApp id are one
// contact with one lead; a reply goes back the way the lead last wrote (or the way a broker
// picked); STOP on any channel stops every channel, START on SMS re-enables SMS only.

const SECRET = 'test-app-secret';
const WA_TOKEN = 'wa-token';

describe('one person across SMS and WhatsApp', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  let twilio: FakeTwilioServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const waSendsTo = (waId: string) => meta.requests.filter((r) => r.method === 'POST' && (r.body as { to?: string } | undefined)?.to === waId);
  const smsSendsTo = (phone: string) => twilio.sends().filter((r) => r.params.To === phone);

  beforeAll(async () => {
    meta = await startFakeMetaServer({ token: WA_TOKEN });
    twilio = await startFakeTwilioServer({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });
    h = await startHarness({
      env: {
        WHATSAPP_APP_SECRET: SECRET,
        WHATSAPP_TOKEN: WA_TOKEN,
        WHATSAPP_PHONE_NUMBER_ID: TEST_PHONE_NUMBER_ID,
        WHATSAPP_REENGAGE_TEMPLATE: 'lead_follow_up',
        META_GRAPH_URL: meta.baseUrl,
        TWILIO_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN,
        TWILIO_FROM_NUMBER: TWILIO_NUMBER,
        TWILIO_API_URL: twilio.baseUrl,
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await meta?.close();
    await twilio?.close();
  });

  const leadOf = async (phone: string) => {
    const rows = await sql<{ id: string; workflow_id: string; contact_id: string }>(
      `select l.id, l.workflow_id, l.contact_id from leads l join contacts c on c.id = l.contact_id where c.phone = ?`,
      [phone],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  const outbound = (leadId: string, count: number) =>
    eventually(async () => {
      const rows = await sql<{ delivery_status: string; meta: { channel?: string } }>(
        `select delivery_status, meta from timeline_entries where lead_id = ? and direction = 'out' and delivery_status <> 'queued' order by created_at`,
        [leadId],
      );
      return rows.length >= count ? rows : undefined;
    }, `${count} replies`);
  const stateOf = (workflowId: string) => h.temporal.workflow.getHandle(workflowId).query<LeadState>('state');
  /** The workflow has nothing running or waiting to run: whatever it would send, it has sent. */
  const settled = (workflowId: string) =>
    eventually(async () => {
      const { raw } = await h.temporal.workflow.getHandle(workflowId).describe();
      return (raw.pendingActivities ?? []).length === 0 && !raw.pendingWorkflowTask ? true : undefined;
    }, 'the workflow to settle');
  const sms = (phone: string, body: string) => postTwilio(h.baseUrl, '/webhooks/sms', twilioFixture('sms-inbound-text.json', { From: phone, Body: body }));

  it('lands WhatsApp and SMS from one number on one contact and one lead, and answers each on its own channel', async () => {
    const waId = testWaId();
    const phone = `+${waId}`;
    await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hi, 2 bed in Dubai Marina' }), { secret: SECRET });
    const first = await eventually(async () => (await sql<{ id: string }>(`select l.id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?`, [waId]))[0], 'the lead');
    await outbound(first.id, 1);

    expect((await sms(phone, 'Budget is 2.5M, cash buyer')).status).toBe(200);
    const lead = await leadOf(phone);
    expect(lead.id).toBe(first.id);
    expect(await sql(`select id from contacts where phone = ? or wa_id = ?`, [phone, waId])).toHaveLength(1);

    const replies = await outbound(lead.id, 2);
    expect(replies.map((r) => r.meta.channel)).toEqual(['whatsapp', 'sms']);
    expect(waSendsTo(waId)).toHaveLength(1);
    expect(smsSendsTo(phone)).toHaveLength(1);
  });

  it('sends on the channel a broker picks, through the same router', async () => {
    const waId = testWaId();
    const phone = `+${waId}`;
    await sms(phone, 'Hello, any villas?');
    const lead = await eventually(async () => (await sql<{ id: string }>(`select l.id from leads l join contacts c on c.id = l.contact_id where c.phone = ?`, [phone]))[0], 'the lead');
    await outbound(lead.id, 1);
    const router = createReplies(h);
    const viaWhatsApp = await router.deliver({ leadId: lead.id, channel: 'sms', viaChannel: 'whatsapp', text: 'Here is the brochure', idempotencyKey: `test:${lead.id}:via`, inReplyTo: [] });
    expect(viaWhatsApp).toMatchObject({ channel: 'whatsapp', status: 'sent' });
    // Outside the 24-hour window (the lead never wrote on WhatsApp): the approved template, to the phone number.
    expect(waSendsTo(waId).map((r) => (r.body as { type: string }).type)).toEqual(['template']);
    const byDefault = await router.deliver({ leadId: lead.id, channel: 'whatsapp', text: 'Following up', idempotencyKey: `test:${lead.id}:default`, inReplyTo: [] });
    expect(byDefault).toMatchObject({ channel: 'sms', status: 'sent' });
    expect(smsSendsTo(phone)).toHaveLength(2);
  });

  it('STOP on SMS stops every channel; START on SMS re-enables SMS only', async () => {
    const waId = testWaId();
    const phone = `+${waId}`;
    await sms(phone, 'I want a townhouse in Dubai Hills');
    const lead = await eventually(async () => (await sql<{ id: string; workflow_id: string; contact_id: string }>(
      `select l.id, l.workflow_id, l.contact_id from leads l join contacts c on c.id = l.contact_id where c.phone = ?`, [phone]))[0], 'the lead');
    await outbound(lead.id, 1);
    expect(smsSendsTo(phone)).toHaveLength(1);

    expect((await sms(phone, 'STOP')).status).toBe(200);
    const [contact] = await sql<{ opted_out_at: Date | null; opted_in_channels: string[] }>(`select opted_out_at, opted_in_channels from contacts where id = ?`, [lead.contact_id]);
    expect(contact!.opted_out_at).not.toBeNull();
    const opted = await eventually(async () => {
      const s = await stateOf(lead.workflow_id);
      return s.optedOut ? s : undefined;
    }, 'the workflow to opt out');
    expect(opted.followUp.dueAt).toBeNull();
    await settled(lead.workflow_id);
    // Twilio confirms STOP itself and would refuse a send: nothing of ours went out.
    expect(smsSendsTo(phone)).toHaveLength(1);

    // Later the same person writes on WhatsApp: recorded, never answered.
    const wamid = testWamid();
    await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Actually, any news?', wamid }), { secret: SECRET });
    await eventually(async () => (await sql<{ id: string }>(`select id from timeline_entries where provider_id = ?`, [wamid]))[0], 'the WhatsApp message on the timeline');
    await settled(lead.workflow_id);
    expect(waSendsTo(waId)).toHaveLength(0);
    const after = await stateOf(lead.workflow_id);
    expect(after.turns).toBe(opted.turns);
    expect(after.followUp.dueAt).toBeNull();

    // Whatever asks to send (a nudge, a broker), the router refuses on every channel.
    const router = createReplies(h);
    for (const channel of ['whatsapp', 'sms'] as const) {
      expect(await router.deliver({ leadId: lead.id, channel, viaChannel: channel, text: 'Still there?', idempotencyKey: `test:${lead.id}:${channel}`, inReplyTo: [] })).toMatchObject({
        channel,
        status: 'suppressed_opted_out',
      });
    }

    expect((await sms(phone, 'START')).status).toBe(200);
    await eventually(async () => {
      const [c] = await sql<{ opted_in_channels: string[] }>(`select opted_in_channels from contacts where id = ?`, [lead.contact_id]);
      return c!.opted_in_channels.includes('sms') ? true : undefined;
    }, 'SMS re-enabled');
    expect(await router.deliver({ leadId: lead.id, channel: 'sms', viaChannel: 'sms', text: 'Welcome back', idempotencyKey: `test:${lead.id}:back-sms`, inReplyTo: [] })).toMatchObject({ status: 'sent' });
    expect(await router.deliver({ leadId: lead.id, channel: 'whatsapp', viaChannel: 'whatsapp', text: 'Welcome back', idempotencyKey: `test:${lead.id}:back-wa`, inReplyTo: [] })).toMatchObject({
      status: 'suppressed_opted_out',
    });
    expect(smsSendsTo(phone)).toHaveLength(2);
    expect(waSendsTo(waId)).toHaveLength(0);

    // The open lead takes the START too: the next SMS is answered again, on SMS only.
    await eventually(async () => ((await stateOf(lead.workflow_id)).optedOut ? undefined : true), 'the workflow to opt back in');
    expect((await sms(phone, 'Is the Dubai Hills townhouse still available?')).status).toBe(200);
    await eventually(async () => (smsSendsTo(phone).length >= 3 ? true : undefined), 'an SMS answer after START');
    expect(waSendsTo(waId)).toHaveLength(0);
  });

  it('still confirms a STOP sent on WhatsApp, once, and nothing after it', async () => {
    const waId = testWaId();
    await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Looking for an apartment' }), { secret: SECRET });
    const lead = await eventually(async () => (await sql<{ id: string; workflow_id: string }>(`select l.id, l.workflow_id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?`, [waId]))[0], 'the lead');
    await outbound(lead.id, 1);
    await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'stop' }), { secret: SECRET });
    const replies = await outbound(lead.id, 2);
    expect(replies[1]!.delivery_status).toBe('sent');
    await settled(lead.workflow_id);
    expect(waSendsTo(waId)).toHaveLength(2);
    const router = createReplies(h);
    expect(await router.deliver({ leadId: lead.id, channel: 'whatsapp', text: 'Nudge', idempotencyKey: `test:${lead.id}:nudge`, inReplyTo: [] })).toMatchObject({ status: 'suppressed_opted_out' });
  });
});
