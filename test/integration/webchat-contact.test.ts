import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadState } from '../../domain/lead-state.model';
import { eventually, machineAuth, startHarness, type Harness } from '../support/harness';

// Issue 14, point 9: what a web chat lead types about themselves is kept (validated, on the
// contact, unverified) and shown to the broker; before a handoff the agent asks how to reach
// a lead it has no phone or e-mail for.

describe('web chat captures the contact', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  async function session(): Promise<string> {
    const res = await fetch(`${h.baseUrl}/agent/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({}) });
    return ((await res.json()) as { sessionKey: string }).sessionKey;
  }
  async function turn(key: string, text: string): Promise<string> {
    const res = await fetch(`${h.baseUrl}/agent/turn`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-key': key }, body: JSON.stringify({ text, clientMessageId: randomUUID() }) });
    const body = await res.text();
    const turnEvent = body.split('\n\n').find((b) => b.startsWith('event: turn'));
    if (!turnEvent) throw new Error(`no reply: ${body}`);
    return (JSON.parse(turnEvent.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { text: string }).text;
  }
  const leadOfSession = async (key: string) => {
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(key, 'utf8').digest('hex');
    return (await sql<{ lead_id: string; workflow_id: string }>('select s.lead_id, l.workflow_id from sessions s join leads l on l.id = s.lead_id where s.key_hash = ?', [hash]))[0]!;
  };
  const state = (workflowId: string) => h.temporal.workflow.getHandle(workflowId).query<LeadState>('state');

  it('keeps the name and number typed in the chat on the contact, unverified, and shows them to the broker', async () => {
    const key = await session();
    await turn(key, 'Hi! I want to buy a 2 bed apartment in Dubai Marina, budget AED 2.5M, cash, moving next month. My name is Hannah, my number is +971 55 987 6543');
    const lead = await leadOfSession(key);
    const contact = await eventually(async () => {
      const r = await sql<{ name: string | null; phone: string | null; claimed_name: string; claimed_phone: string }>(
        'select c.name, c.phone, c.claimed_name, c.claimed_phone from contacts c join leads l on l.contact_id = c.id where l.id = ?',
        [lead.lead_id],
      );
      return r[0]?.claimed_phone ? r[0] : undefined;
    }, 'the claimed details');
    // Unverified: kept apart from the matching keys.
    expect(contact).toEqual({ name: 'Hannah', phone: null, claimed_name: 'Hannah', claimed_phone: '+971559876543' });
    const detail = (await (await fetch(`${h.baseUrl}/leads/${lead.lead_id}`, { headers: machineAuth })).json()) as {
      lead: { contact: { name: string; phone: string | null; claimed: { name: string; phone: string; email: string | null } } };
    };
    expect(detail.lead.contact).toMatchObject({ name: 'Hannah', phone: null, claimed: { name: 'Hannah', phone: '+971559876543', email: null } });
    // Reachable, so no contact question: the handoff goes ahead at once.
    const s = await eventually(async () => {
      const x = await state(lead.workflow_id);
      return x.handoff.reason ? x : undefined;
    }, 'the handoff');
    expect(s.handoff.reason).toBe('qualified');
  });

  it('asks for a phone or e-mail before handing off a lead it cannot reach, and hands off with the answer', async () => {
    const key = await session();
    const first = await turn(key, 'Hi! I want to buy a 2 bed apartment in Dubai Marina, budget AED 2.5M, cash, moving next month');
    expect(first).toContain('So our consultant can reach you, what is the best phone number or e-mail for you?');
    const lead = await leadOfSession(key);
    const held = await state(lead.workflow_id);
    expect(held.qualification?.qualified).toBe(true);
    expect(held.handoff.status).toBe('none');
    expect(held.lastIntents).toEqual([{ kind: 'await_contact' }]);

    await turn(key, 'sure, it is hannah.k@example.com');
    const s = await eventually(async () => {
      const x = await state(lead.workflow_id);
      return x.handoff.reason ? x : undefined;
    }, 'the handoff after the answer');
    expect(s.handoff.reason).toBe('qualified');
    const claimed = await sql<{ claimed_email: string; email: string | null }>('select c.claimed_email, c.email from contacts c join leads l on l.contact_id = c.id where l.id = ?', [lead.lead_id]);
    expect(claimed[0]).toEqual({ claimed_email: 'hannah.k@example.com', email: null });
  });
});
