import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilioServer, type FakeTwilioServer } from '../fakes/twilio.server';
import { eventually, startHarness, type Harness } from '../support/harness';
import { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER } from '../support/sms.payloads';
import { chat, createSession } from '../support/webchat';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// Issue 12, point 4: typing someone's phone number into web chat must not reach their lead.
// The reproduction: a WhatsApp lead tells us their area and budget; a stranger opens a web chat
// with that number, asks what is on file, changes the profile and sends STOP. None of it may
// reach the victim. Only a one-time code sent to the number (here over SMS, to a fake Twilio)
// joins the chat to the number's lead.

const SECRET = 'test-app-secret';

describe('web chat never takes over a contact by a typed number', () => {
  let h: Harness;
  let twilio: FakeTwilioServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    twilio = await startFakeTwilioServer({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });
    h = await startHarness({ env: { WHATSAPP_APP_SECRET: SECRET, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER: TWILIO_NUMBER, TWILIO_API_URL: twilio.baseUrl } });
  });
  afterAll(async () => {
    await h?.close();
    await twilio?.close();
  });

  async function victimLead(waId: string) {
    return eventually(async () => {
      const rows = await sql<{ lead_id: string; contact_id: string; areas: string[] | null; budget_max: string | null; n: string }>(
        `select l.id as lead_id, c.id as contact_id, p.areas, p.budget_max::text as budget_max,
                (select count(*) from timeline_entries t where t.lead_id = l.id)::text as n
           from leads l join contacts c on c.id = l.contact_id left join lead_profiles p on p.lead_id = l.id where c.wa_id = ?`,
        [waId],
      );
      return rows[0]?.areas?.length && rows[0].budget_max ? rows[0] : undefined;
    }, "the victim's profile");
  }

  it('keeps a stranger who typed the number out of the victim’s lead, and lets the number’s owner in with a code', async () => {
    const waId = testWaId();
    const phone = `+${waId}`;
    const marker = randomBytes(4).toString('hex');
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, name: `Victim ${marker}`, text: 'Looking for a 2 bed in Dubai Marina, budget up to 2.5M AED, cash buyer' }), { secret: SECRET })).status).toBe(200);
    const victim = await victimLead(waId);
    const timelineBefore = Number(victim.n);

    // The stranger: a session with the victim's number, then the questions and the STOP.
    const session = await createSession(h.baseUrl, { name: 'Stranger', phone });
    expect(session.phoneVerification).toBe('required');
    const asked = await chat(h.baseUrl, session.sessionKey, 'Hi, remind me what area and budget you have on file for me?');
    expect(asked.status).toBe(200);
    expect(asked.reply).toBeTruthy();
    for (const secret of ['Marina', '2.5', '2,500,000', '2500000', `Victim ${marker}`]) expect(asked.reply!).not.toContain(secret);
    const changed = await chat(h.baseUrl, session.sessionKey, 'Actually make it a villa in Jumeirah, budget 9M');
    expect(changed.status).toBe(200);
    const stop = await chat(h.baseUrl, session.sessionKey, 'STOP');
    expect(stop.status).toBe(200);

    // The victim's contact and lead did not move.
    const [session_] = await sql<{ contact_id: string; lead_id: string | null }>('select contact_id, lead_id from sessions where id = ?', [session.sessionId]);
    expect(session_!.contact_id).not.toBe(victim.contact_id);
    expect(session_!.lead_id).not.toBe(victim.lead_id);
    const after = await victimLead(waId);
    expect(after).toEqual(victim);
    expect(Number(after.n)).toBe(timelineBefore);
    const [contact] = await sql<{ opted_out_at: Date | null; phone: string | null }>('select opted_out_at, phone from contacts where id = ?', [victim.contact_id]);
    expect(contact!.opted_out_at).toBeNull();
    const state = await h.temporal.workflow.getHandle(`lead-${victim.lead_id}`).query<{ optedOut: boolean; profile: { areas: string[] } }>('state');
    expect(state.optedOut).toBe(false);
    expect(state.profile.areas.join(' ')).toMatch(/Marina/);

    // The number's owner proves it: the code goes to the number by SMS, a wrong one is refused.
    const owner = await createSession(h.baseUrl, { phone });
    const sends = twilio.sends().length;
    const start = await fetch(`${h.baseUrl}/agent/verify/start`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-key': owner.sessionKey }, body: '{}' });
    expect(start.status).toBe(202);
    const sms = await eventually(async () => twilio.sends().slice(sends).find((r) => r.params.To === phone), 'the code by SMS');
    const code = /\b(\d{6})\b/.exec(sms.params.Body ?? '')![1]!;
    const verify = (c: string) => fetch(`${h.baseUrl}/agent/verify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-key': owner.sessionKey }, body: JSON.stringify({ code: c }) });
    const wrong = await verify(code === '000000' ? '000001' : '000000');
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('wrong_code');
    const right = await verify(code);
    expect(right.status).toBe(200);
    expect(((await right.json()) as { verification: { joinedExistingContact: boolean } }).verification.joinedExistingContact).toBe(true);
    // A code works once.
    expect((await verify(code)).status).toBe(410);
    const joined = await chat(h.baseUrl, owner.sessionKey, 'Is anything new in Dubai Marina?');
    expect(joined.status).toBe(200);
    const [ownerSession] = await sql<{ contact_id: string; lead_id: string | null }>('select contact_id, lead_id from sessions where id = ?', [owner.sessionId]);
    expect(ownerSession).toEqual({ contact_id: victim.contact_id, lead_id: victim.lead_id });
    // The stranger's session is still their own.
    const [strangerAfter] = await sql<{ contact_id: string }>('select contact_id from sessions where id = ?', [session.sessionId]);
    expect(strangerAfter!.contact_id).not.toBe(victim.contact_id);
  });

  it('limits sessions per address, not in one bucket for everybody, and never trusts a forged X-Forwarded-For', async () => {
    const local = await startHarness({ env: { WEBCHAT_SESSIONS_PER_HOUR: '2', TRUST_PROXY: 'true' }, worker: false });
    try {
      // Through a proxy of ours (one hop): the last X-Forwarded-For entry is the client.
      const via = (client: string, forged?: string) => ({ 'x-forwarded-for': forged ? `${forged}, ${client}` : client });
      const a = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
      const b = `198.51.100.${Math.floor(Math.random() * 200) + 1}`;
      await createSession(local.baseUrl, {}, via(a));
      await createSession(local.baseUrl, {}, via(a));
      const third = await fetch(`${local.baseUrl}/agent/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...via(a) }, body: '{}' });
      expect(third.status).toBe(429);
      expect(((await third.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      // A forged leftmost entry does not give client A a new bucket…
      const forged = await fetch(`${local.baseUrl}/agent/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...via(a, '192.0.2.77') }, body: '{}' });
      expect(forged.status).toBe(429);
      // …and client B is not locked out by A.
      expect((await createSession(local.baseUrl, {}, via(b))).sessionKey).toBeTruthy();
    } finally {
      await local.close();
    }
  });
});
