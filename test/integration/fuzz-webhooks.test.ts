import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetaSignature } from '../../channels/meta/meta-signature';
import { startFakeTwilioServer, type FakeTwilioServer } from '../fakes/twilio.server';
import { expectSane, hostileJson, hostileString } from '../support/fuzz';
import { eventually, startHarness, type Harness } from '../support/harness';
import { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER, twilioSid } from '../support/sms.payloads';
import { testWaId, testWamid, waChange, waEnvelope, waTextPayload } from '../support/whatsapp.payloads';

// Issue 12, point 7: every webhook fuzzed over HTTP against the real stack. Signed hostile
// content never gets a 5xx (Meta and Twilio would redeliver it for days), every 4xx is the
// error envelope, and no lead is left stuck: each fuzzed lead still answers a normal message.

const SECRET = 'test-app-secret';
const WA_IDS = Array.from({ length: 6 }, () => testWaId());
const PHONES = Array.from({ length: 3 }, () => `+${testWaId()}`);

describe('fuzz: webhooks', () => {
  let h: Harness;
  let fake: FakeTwilioServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    fake = await startFakeTwilioServer({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });
    h = await startHarness({ env: { WHATSAPP_APP_SECRET: SECRET, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER: TWILIO_NUMBER, TWILIO_API_URL: fake.baseUrl } });
  });
  afterAll(async () => {
    // The unsigned-traffic bucket of 127.0.0.1 is shared with the run's other files.
    const keys = await h.redis.keys(`${h.env.REDIS_KEY_PREFIX}rl:webhook-unsigned*`);
    if (keys.length > 0) await h.redis.del(...keys.map((k) => k.slice(h.env.REDIS_KEY_PREFIX.length)));
    await h?.close();
    await fake?.close();
  });

  const postMeta = (path: string, raw: string, headers: Record<string, string> = {}) =>
    fetch(`${h.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': computeMetaSignature(raw, SECRET), ...headers }, body: raw });

  /** The lead of `where` once it answered `text` with a reply after it. */
  async function answers(where: { waId?: string; phone?: string }, text: string): Promise<string> {
    return eventually(async () => {
      const rows = await sql<{ id: string }>(
        `select l.id from leads l join contacts c on c.id = l.contact_id where ${where.waId ? 'c.wa_id = ?' : 'c.phone = ?'} and l.deleted_at is null order by l.created_at desc limit 1`,
        [where.waId ?? where.phone],
      );
      if (!rows[0]) return undefined;
      const state = await h.temporal.workflow.getHandle(`lead-${rows[0].id}`).query<{ transcript: Array<{ from: string; text: string }> }>('state');
      const i = state.transcript.findLastIndex((t) => t.from === 'lead' && t.text === text);
      return i >= 0 && state.transcript.slice(i + 1).some((t) => t.from === 'agent') ? rows[0].id : undefined;
    }, `a reply to "${text}"`, 60_000);
  }

  it('answers a normal message that follows a NUL-byte message', async () => {
    const waId = testWaId();
    await expectSane(await postMeta('/webhooks/whatsapp', JSON.stringify(waTextPayload({ waId, text: 'hello\u0000\u0000 there' }))), 'NUL text');
    const normal = `Hi, 2 bed in JVC please ${randomBytes(3).toString('hex')}`;
    await expectSane(await postMeta('/webhooks/whatsapp', JSON.stringify(waTextPayload({ waId, text: normal }))), 'normal text');
    await answers({ waId }, normal);
  });

  it('100 hostile signed WhatsApp bodies: zero 5xx, and zero stuck workflows', async () => {
    const message = fc.record({
      waId: fc.constantFrom(...WA_IDS),
      id: fc.oneof(fc.constant(null), hostileString),
      type: fc.constantFrom('text', 'text', 'text', 'image', 'button', 'interactive', 'location', 'reaction', 'hologram'),
      text: hostileString,
      name: hostileString,
      timestamp: fc.oneof(fc.constant(null), hostileString, fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String)),
      extra: hostileJson,
    });
    const body = fc.oneof(
      { weight: 8, arbitrary: fc.array(message, { minLength: 1, maxLength: 3 }).map((ms) =>
        waEnvelope([
          waChange({
            contacts: ms.map((m) => ({ profile: { name: m.name }, wa_id: m.waId })),
            messages: ms.map((m) => ({ from: m.waId, id: m.id ?? testWamid(), timestamp: m.timestamp ?? String(Math.floor(Date.now() / 1000)), type: m.type, text: { body: m.text }, [m.type === 'text' ? 'context' : m.type]: m.extra })),
          }),
        ]),
      ) },
      { weight: 1, arbitrary: hostileJson },
      { weight: 1, arbitrary: fc.record({ object: fc.constant('whatsapp_business_account'), entry: hostileJson }) },
    );
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await postMeta('/webhooks/whatsapp', JSON.stringify(b));
        statuses.push(res.status);
        await expectSane(res, 'signed WhatsApp body');
      }),
      { numRuns: 100 },
    );
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // Every fuzzed sender's lead still answers a normal message, and its workflow runs.
    const leads = await sql<{ wa_id: string; id: string }>(`select c.wa_id, l.id from leads l join contacts c on c.id = l.contact_id where c.wa_id in (${WA_IDS.map(() => '?').join(', ')})`, WA_IDS);
    expect(leads.length).toBeGreaterThan(0);
    for (const { wa_id: waId } of leads) {
      const normal = `Looking for a 1 bed in Business Bay ${randomBytes(3).toString('hex')}`;
      await expectSane(await postMeta('/webhooks/whatsapp', JSON.stringify(waTextPayload({ waId, text: normal }))), 'normal after fuzz');
      const leadId = await answers({ waId }, normal);
      expect((await h.temporal.workflow.getHandle(`lead-${leadId}`).describe()).status.name).toBe('RUNNING');
    }
  });

  it('hostile signed Twilio forms and Lead Ads bodies: zero 5xx', async () => {
    const form = fc.record(
      {
        MessageSid: fc.oneof(fc.constant(twilioSid()), hostileString),
        AccountSid: fc.oneof(fc.constant(TWILIO_ACCOUNT_SID), hostileString),
        From: fc.oneof(fc.constantFrom(...PHONES), hostileString),
        To: fc.constant(TWILIO_NUMBER),
        Body: hostileString,
        NumMedia: fc.oneof(fc.constantFrom('0', '1', '11', '-1', 'x'), hostileString),
        MediaUrl0: hostileString,
        MessageStatus: hostileString,
        ProfileName: hostileString,
      },
      { requiredKeys: ['AccountSid', 'To'] },
    );
    await fc.assert(
      fc.asyncProperty(form, async (params) => {
        const clean = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
        const url = `${h.baseUrl}/webhooks/sms`;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, clean) },
          body: new URLSearchParams(clean).toString(),
        });
        await expectSane(res, 'signed Twilio form');
      }),
      { numRuns: 30 },
    );
    const leadgen = fc.record({
      object: fc.constantFrom('page', 'page', 'user'),
      entry: fc.array(
        fc.record({ id: hostileString, time: fc.oneof(fc.integer(), hostileString), changes: fc.array(fc.record({ field: fc.constantFrom('leadgen', 'feed'), value: fc.oneof(hostileJson, fc.record({ leadgen_id: fc.oneof(hostileString, fc.bigInt().map(String)), page_id: hostileString, form_id: hostileString, created_time: fc.oneof(fc.integer(), fc.double(), hostileString) })) }), { maxLength: 3 }) }),
        { maxLength: 3 },
      ),
    });
    await fc.assert(fc.asyncProperty(leadgen, async (b) => expectSane(await postMeta('/webhooks/leadads', JSON.stringify(b)), 'signed Lead Ads body')), { numRuns: 20 });
    // An SMS sender the fuzz reached still gets an answer.
    const phone = PHONES[0]!;
    const normal = `Hi, studio in Dubai Marina ${randomBytes(3).toString('hex')}`;
    const params = { MessageSid: twilioSid(), AccountSid: TWILIO_ACCOUNT_SID, From: phone, To: TWILIO_NUMBER, Body: normal, NumMedia: '0' };
    const url = `${h.baseUrl}/webhooks/sms`;
    await expectSane(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, params) }, body: new URLSearchParams(params).toString() }), 'normal SMS');
    await answers({ phone }, normal);
  });

  it('unsigned or forged posts with hostile headers and bodies: a 4xx envelope, nothing stored', async () => {
    const [before] = await sql<{ n: string }>('select count(*)::text as n from inbound_events');
    const request = fc.record({
      path: fc.constantFrom('/webhooks/whatsapp', '/webhooks/leadads', '/webhooks/sms', '/webhooks/sms/status'),
      contentType: fc.oneof(fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x'), fc.string({ maxLength: 30 }).filter((s) => /^[\x21-\x7e ]*$/.test(s))),
      encoding: fc.constantFrom(undefined, 'gzip', 'br', 'deflate', 'compress', 'identity', 'x-evil'),
      signature: fc.oneof(fc.constant(undefined), fc.constantFrom(`sha256=${'0'.repeat(64)}`, 'sha256=zz', 'sha1=abc'), fc.string({ maxLength: 80 }).filter((s) => /^[\x21-\x7e]*$/.test(s))),
      body: fc.oneof(hostileJson.map((j) => JSON.stringify(j) ?? 'null'), hostileString),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { 'content-type': r.contentType || 'application/octet-stream' };
        if (r.encoding) headers['content-encoding'] = r.encoding;
        if (r.signature !== undefined) {
          headers['x-hub-signature-256'] = r.signature;
          headers['x-twilio-signature'] = r.signature;
        }
        const res = await fetch(`${h.baseUrl}${r.path}`, { method: 'POST', headers, body: r.body });
        expect(res.status).toBeGreaterThanOrEqual(400);
        await expectSane(res, `unsigned ${r.path}`);
      }),
      { numRuns: 40 },
    );
    const [after] = await sql<{ n: string }>('select count(*)::text as n from inbound_events');
    expect(after).toEqual(before);
  });
});
