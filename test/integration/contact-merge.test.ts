import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, machineAuth, startHarness, type Harness } from '../support/harness';
import { apiSession } from '../support/sign-in';
import { chat, createSession } from '../support/webchat';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// A broker merges two contacts that are one person (#12): a web chat visitor typed a number that
// a WhatsApp contact owns. The API offers the pair as "possibly the same person", refuses the
// merge to whoever may not make it and with a clear code for every bad request, and the merge
// moves the chat to the WhatsApp contact's open lead while the web lead stays, linked.

interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> | null };
}

describe('merging a web chat contact into the contact that owns its typed number', () => {
  let h: Harness;
  let admin: Record<string, string>;
  let manager: Record<string, string>;
  let james: Record<string, string>;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${h.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    h = await startHarness();
    [admin, manager, james] = await Promise.all([apiSession(h.baseUrl, 'admin@example.com'), apiSession(h.baseUrl, 'manager@example.com'), apiSession(h.baseUrl, 'james@example.com')]);
  });
  afterAll(async () => h?.close());

  /** A WhatsApp contact with an answered lead, and a web chat whose visitor typed that number. */
  async function pair() {
    const waId = testWaId();
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, name: 'Wanda Whatsapp', text: 'Hi, looking for a 2 bed in JVC' }))).status).toBe(200);
    const wa = await eventually(async () => {
      const rows = await sql<{ contact_id: string; lead_id: string }>(
        `select c.id as contact_id, l.id as lead_id from contacts c join leads l on l.contact_id = c.id where c.wa_id = ? and exists (select 1 from timeline_entries t where t.lead_id = l.id and t.direction = 'out')`,
        [waId],
      );
      return rows[0];
    }, 'the WhatsApp lead');
    const session = await createSession(h.baseUrl, { name: 'Wanda' });
    const first = await chat(h.baseUrl, session.sessionKey, `Hi, 2 bed in JVC please. My number is +${waId}`);
    expect(first.status).toBe(200);
    const web = await eventually(async () => {
      const rows = await sql<{ contact_id: string; lead_id: string; claimed_phone: string | null }>(
        'select s.contact_id, s.lead_id, c.claimed_phone from sessions s join contacts c on c.id = s.contact_id where s.key_hash = ?',
        [hashKey(session.sessionKey)],
      );
      return rows[0]?.claimed_phone ? rows[0] : undefined;
    }, 'the typed number on the web chat contact');
    expect(web.claimed_phone).toBe(`+${waId}`);
    expect(web.contact_id).not.toBe(wa.contact_id);
    return { waId, wa, web: { contact_id: web.contact_id, lead_id: web.lead_id }, sessionKey: session.sessionKey };
  }

  it('offers the pair as possibly the same person, from both sides', async () => {
    const { wa, web } = await pair();
    const fromWeb = (await (await fetch(`${h.baseUrl}/contacts/${web.contact_id}/same-person`, { headers: james })).json()) as { mergedInto: string | null; candidates: Array<{ contactId: string; direction: string; matchedOn: string; leads: Array<{ id: string; channel: string }> }> };
    expect(fromWeb.mergedInto).toBeNull();
    expect(fromWeb.candidates).toEqual([expect.objectContaining({ contactId: wa.contact_id, direction: 'into-other', matchedOn: 'phone' })]);
    expect(fromWeb.candidates[0]!.leads).toEqual([expect.objectContaining({ id: wa.lead_id, channel: 'whatsapp' })]);
    const fromWa = (await (await fetch(`${h.baseUrl}/contacts/${wa.contact_id}/same-person`, { headers: manager })).json()) as { candidates: Array<{ contactId: string; direction: string }> };
    expect(fromWa.candidates).toEqual([expect.objectContaining({ contactId: web.contact_id, direction: 'into-this' })]);
    const unknown = await fetch(`${h.baseUrl}/contacts/${randomUUID()}/same-person`, { headers: manager });
    expect(unknown.status).toBe(404);
  });

  it('refuses bad merges with a clear 4xx: invalid body, same contact, unknown ids, a proven contact, not allowed', async () => {
    const { wa, web } = await pair();
    const expectError = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(((await res.json()) as ErrorBody).error.code).toBe(code);
    };
    await expectError(await post(`/contacts/${web.contact_id}/merge`, manager, { intoContactId: 'nope' }), 400, 'bad_request');
    await expectError(await post(`/contacts/${web.contact_id}/merge`, manager, { intoContactId: wa.contact_id, extra: 1 }), 400, 'bad_request');
    await expectError(await post(`/contacts/${web.contact_id}/merge`, manager, '{not json'), 400, 'invalid_json');
    await expectError(await post(`/contacts/not-a-uuid/merge`, manager, { intoContactId: wa.contact_id }), 400, 'bad_request');
    await expectError(await post(`/contacts/${web.contact_id}/merge`, manager, { intoContactId: web.contact_id }), 400, 'same_contact');
    const missing = await post(`/contacts/${web.contact_id}/merge`, manager, { intoContactId: randomUUID() });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.details).toHaveProperty('intoContactId');
    await expectError(await post(`/contacts/${randomUUID()}/merge`, manager, { intoContactId: wa.contact_id }), 404, 'not_found');
    // The WhatsApp contact's number is proven: it is never merged away into a chat.
    await expectError(await post(`/contacts/${wa.contact_id}/merge`, manager, { intoContactId: web.contact_id }), 409, 'not_mergeable');
    // A broker who owns neither lead may not merge them.
    await expectError(await post(`/contacts/${web.contact_id}/merge`, james, { intoContactId: wa.contact_id }), 403, 'forbidden');
    const [still] = await sql<{ same_person_as_id: string | null }>('select same_person_as_id from contacts where id = ?', [web.contact_id]);
    expect(still!.same_person_as_id).toBeNull();
  });

  it('merges: the chat continues in the WhatsApp lead, the web lead stays linked, and it is audited', async () => {
    const { wa, web, sessionKey } = await pair();
    // James owns the web chat lead: he may merge it.
    const claim = await post(`/leads/${web.lead_id}/claim`, james, {});
    expect(claim.status).toBe(200);
    await eventually(async () => ((await sql<{ owner_id: string | null }>('select owner_id from leads where id = ?', [web.lead_id]))[0]?.owner_id === 'broker-james' ? true : undefined), 'the claim in the read model');

    // Another broker neither sees James's contact nor merges it.
    const priya = await apiSession(h.baseUrl, 'priya@example.com');
    expect((await fetch(`${h.baseUrl}/contacts/${web.contact_id}/same-person`, { headers: priya })).status).toBe(403);
    expect((await post(`/contacts/${web.contact_id}/merge`, priya, { intoContactId: wa.contact_id })).status).toBe(403);

    const res = await post(`/contacts/${web.contact_id}/merge`, james, { intoContactId: wa.contact_id });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { merge: { movedSessions: number; linkedLeadIds: string[]; changed: boolean } };
    expect(body.merge).toEqual({ contactId: web.contact_id, intoContactId: wa.contact_id, movedSessions: 1, linkedLeadIds: [web.lead_id], changed: true });

    // The visible link: the web contact points at the WhatsApp contact, and both open leads say so.
    const [link] = await sql<{ same_person_as_id: string | null }>('select same_person_as_id from contacts where id = ?', [web.contact_id]);
    expect(link!.same_person_as_id).toBe(wa.contact_id);
    const notes = await sql<{ lead_id: string; body: string }>(`select lead_id, body from timeline_entries where type = 'note' and idempotency_key like ?`, [`merge:${web.contact_id}:%`]);
    expect(notes.map((n) => n.lead_id).sort()).toEqual([wa.lead_id, web.lead_id].sort());
    expect(notes.find((n) => n.lead_id === wa.lead_id)!.body).toContain(web.lead_id);
    const detail = (await (await fetch(`${h.baseUrl}/leads/${web.lead_id}`, { headers: machineAuth })).json()) as { lead: { contact: { samePersonAsId: string | null } } };
    expect(detail.lead.contact.samePersonAsId).toBe(wa.contact_id);
    // The web lead and its workflow stay as they were; the merged contact is offered no more.
    expect((await h.temporal.workflow.getHandle(`lead-${web.lead_id}`).describe()).status.name).toBe('RUNNING');
    const view = (await (await fetch(`${h.baseUrl}/contacts/${web.contact_id}/same-person`, { headers: manager })).json()) as { mergedInto: string | null; candidates: unknown[] };
    expect(view).toMatchObject({ mergedInto: wa.contact_id, candidates: [] });

    const [audit] = await sql<{ actor_role: string; details: Record<string, unknown> }>(`select actor_role, details from audit_log where action = 'contact.merge' and details->>'contactId' = ?`, [web.contact_id]);
    expect(audit).toMatchObject({ actor_role: 'broker', details: { contactId: web.contact_id, intoContactId: wa.contact_id, movedSessions: 1 } });

    // The next chat turn lands in the WhatsApp contact's lead.
    const next = await chat(h.baseUrl, sessionKey, 'Any 2 bed in JVC with a balcony?');
    expect(next.status).toBe(200);
    const [session] = await sql<{ contact_id: string; lead_id: string | null }>('select contact_id, lead_id from sessions where key_hash = ?', [hashKey(sessionKey)]);
    expect(session).toEqual({ contact_id: wa.contact_id, lead_id: wa.lead_id });
    await eventually(async () => ((await sql<{ n: string }>(`select count(*)::text as n from timeline_entries where lead_id = ? and body = ?`, [wa.lead_id, 'Any 2 bed in JVC with a balcony?']))[0]!.n === '1' ? true : undefined), 'the chat message in the WhatsApp lead');

    // Asking again changes nothing; merging into another contact afterwards is refused.
    const again = await post(`/contacts/${web.contact_id}/merge`, manager, { intoContactId: wa.contact_id });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { merge: { changed: boolean } }).merge.changed).toBe(false);
    const other = await pair();
    const elsewhere = await post(`/contacts/${web.contact_id}/merge`, admin, { intoContactId: other.wa.contact_id });
    expect(elsewhere.status).toBe(409);
    expect(((await elsewhere.json()) as ErrorBody).error.code).toBe('already_merged');
    expect((await sql<{ n: string }>(`select count(*)::text as n from audit_log where action = 'contact.merge' and details->>'contactId' = ?`, [web.contact_id]))[0]!.n).toBe('1');
  });
});
