import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Payload } from '@temporalio/common';
import { createPayloadEncryption } from '../../temporal/codec/data-converter';
import { DataKeyDestroyedError } from '../../temporal/codec/data-key.store';
import { eventually, machineAuth, startHarness, type Harness } from '../support/harness';
import { apiSession } from '../support/sign-in';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';
import { fastSettings, startLead, waitForState } from './lead-support';
import { leadMemoriesCollection, leadMemoriesSpec } from '../../activities/memory/lead-memory-vectors.store';
import { LeadMemoryRepository } from '../../db/lead-memory.repository';
import { createVectorStack, type VectorStack } from '../../lib/vector/vector.factory';

// Data rights (#12) on the real servers: export everything held about a person, erase it from
// every Postgres table, Redis and (by destroying the lead's key) Temporal history; a later
// message starts afresh; an opted-out person leaves only a hashed suppression entry; retention
// erases a quiet lead by itself.

const SECRET = 'test-app-secret';

interface Person {
  waId: string;
  name: string;
  text: string;
  /** Where the person works: it becomes a lead memory ("works near …"). */
  workplace: string;
}

const person = (): Person => {
  const marker = randomBytes(5).toString('hex');
  const workplace = `Zq${marker} Tower`;
  return { waId: testWaId(), name: `Zelda Quux${marker}`, text: `Hello ${marker}, a 2 bed in Dubai Marina up to 2.5M AED, cash. I work at ${workplace}.`, workplace };
};

describe('data rights: export, erase, retention', () => {
  let h: Harness;
  let admin: Record<string, string>;
  let manager: Record<string, string>;
  let stack: VectorStack;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    h = await startHarness({ env: { WHATSAPP_APP_SECRET: SECRET } });
    admin = await apiSession(h.baseUrl, 'admin@example.com');
    manager = await apiSession(h.baseUrl, 'manager@example.com');
    stack = createVectorStack(h.env);
  });
  afterAll(async () => h?.close());

  async function write(p: Person, text = p.text) {
    const res = await postWebhook(h.baseUrl, waTextPayload({ waId: p.waId, name: p.name, text }), { secret: SECRET });
    expect(res.status).toBe(200);
  }

  /** The lead of the contact holding this WhatsApp id, once it has `replies` answers. */
  async function leadOf(waId: string, replies = 1) {
    return eventually(async () => {
      const rows = await sql<{ lead_id: string; contact_id: string; n: string }>(
        `select l.id as lead_id, c.id as contact_id, (select count(*) from timeline_entries t where t.lead_id = l.id and t.direction = 'out' and t.delivery_status <> 'queued')::text as n
           from leads l join contacts c on c.id = l.contact_id where c.wa_id = ? order by l.created_at desc limit 1`,
        [waId],
      );
      return rows[0] && Number(rows[0].n) >= replies ? rows[0] : undefined;
    }, `the lead of ${waId} with ${replies} reply(ies)`);
  }

  /** Every text, JSON and array column of every table, and every Redis key of this run (name and value), that holds `needle`. */
  async function findEverywhere(needle: string): Promise<string[]> {
    const found: string[] = [];
    const columns = await sql<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
        where table_schema = 'public' and data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY')`,
    );
    for (const c of columns) {
      const [row] = await sql<{ n: string }>(`select count(*)::text as n from "${c.table_name}" where "${c.column_name}"::text ilike ?`, [`%${needle}%`]);
      if (row!.n !== '0') found.push(`${c.table_name}.${c.column_name}`);
    }
    const prefix = h.env.REDIS_KEY_PREFIX;
    let cursor = '0';
    do {
      const [next, keys] = await h.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const name = key.slice(prefix.length);
        const type = await h.redis.type(name);
        const value = type === 'string' ? ((await h.redis.get(name)) ?? '') : type === 'hash' ? JSON.stringify(await h.redis.hgetall(name)) : '';
        if (key.toLowerCase().includes(needle.toLowerCase()) || value.toLowerCase().includes(needle.toLowerCase())) found.push(`redis ${name}`);
      }
    } while (cursor !== '0');
    return found;
  }

  it('exports everything held about a contact, for admins only, and audits it', async () => {
    const p = person();
    await write(p);
    const { contact_id: contactId, lead_id: leadId } = await leadOf(p.waId);
    const refused = await fetch(`${h.baseUrl}/contacts/${contactId}/export`, { headers: manager });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await fetch(`${h.baseUrl}/contacts/${contactId}/export`, { headers: machineAuth })).status).toBe(403);

    const res = await fetch(`${h.baseUrl}/contacts/${contactId}/export`, { headers: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`contact-${contactId}.json`);
    const data = (await res.json()) as { contact: Record<string, unknown>; consents: Record<string, unknown>; leads: Array<{ id: string; messages: Array<{ body: string | null; direction: string }>; attribution: unknown; profile: unknown }> };
    expect(data.contact).toMatchObject({ id: contactId, name: p.name, waId: p.waId });
    expect(data.consents).toHaveProperty('optedOutAt', null);
    expect(data.leads.map((l) => l.id)).toEqual([leadId]);
    expect(data.leads[0]!.messages.find((m) => m.direction === 'in')?.body).toBe(p.text);
    expect(data.leads[0]!.messages.some((m) => m.direction === 'out')).toBe(true);
    expect(data.leads[0]!.attribution).toMatchObject({ channel: 'whatsapp' });
    const memories = await eventually(async () => {
      const again = (await (await fetch(`${h.baseUrl}/contacts/${contactId}/export`, { headers: admin })).json()) as { leads: Array<{ memories: Array<{ text: string; messageId: string }> }> };
      return again.leads[0]!.memories.length > 0 ? again.leads[0]!.memories : undefined;
    }, 'the memories in the export');
    expect(memories.map((m) => m.text)).toContain(`works near ${p.workplace}`);
    const [audit] = await sql<{ actor_role: string; details: Record<string, unknown> }>(`select actor_role, details from audit_log where action = 'contact.export' and details->>'contactId' = ?`, [contactId]);
    expect(audit).toMatchObject({ actor_role: 'admin', details: { contactId, leads: 1 } });
    expect(JSON.stringify(audit!.details)).not.toContain(p.waId);
  });

  it('erases a contact everywhere: Postgres, Redis, Temporal history; the same number later starts a new lead', async () => {
    const p = person();
    await write(p);
    const { contact_id: contactId, lead_id: leadId } = await leadOf(p.waId);
    const workflowId = `lead-${leadId}`;
    // Proof the data was there: every needle is found before.
    expect((await findEverywhere(p.waId)).length).toBeGreaterThan(0);
    const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
    const started = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]! as Payload;
    expect(await h.encryption.codec.decode([started])).toHaveLength(1);
    // the agent's memories of the person: rows with their words and, without a vector server, their vectors (ADR 019)
    const memoryRows = await eventually(async () => {
      const rows = await sql<{ text: string; embedding: Buffer | null }>('select text, embedding from lead_memories where lead_id = ?', [leadId]);
      return rows.some((r) => r.text.includes(p.workplace)) && rows.every((r) => r.embedding !== null) ? rows : undefined;
    }, 'the lead memories');
    expect(memoryRows.map((r) => r.text)).toEqual(expect.arrayContaining([`works near ${p.workplace}`, 'budget is cash']));
    // and a vector the in-process index held before ADR 019, which the erasure must find too
    const collection = leadMemoriesCollection(stack.embedder);
    await stack.index.ensureCollection(collection, leadMemoriesSpec(stack.embedder));
    const [old] = await stack.embedder.embed([`works near ${p.workplace}`]);
    await stack.index.upsert(collection, [{ id: randomUUID(), vector: old!, payload: { lead: leadId, embedder: stack.embedder.id } }]);
    const memoryVectors = () => stack.index.count(collection, { must: [{ key: 'lead', match: leadId }] });
    expect(await memoryVectors()).toBe(1);

    expect((await fetch(`${h.baseUrl}/contacts/${contactId}/erase`, { method: 'POST', headers: manager })).status).toBe(403);
    const res = await fetch(`${h.baseUrl}/contacts/${contactId}/erase`, { method: 'POST', headers: admin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { erasure: { status: string; leadIds: string[]; contactErased: boolean; destroyedKeys: number; redactedEvents: number; anonymousLeads: Array<Record<string, unknown>> } };
    expect(body.erasure).toMatchObject({ status: 'done', leadIds: [leadId], contactErased: true });
    // What the admin is shown as left: the lead as a statistic, with nothing of the person.
    expect(body.erasure.anonymousLeads).toEqual([expect.objectContaining({ id: leadId, channel: 'whatsapp', market: 'AE' })]);
    expect(body.erasure.anonymousLeads[0]!.erasedAt).not.toBeNull();
    expect(JSON.stringify(body.erasure.anonymousLeads)).not.toContain(p.waId);
    expect(body.erasure.destroyedKeys).toBeGreaterThanOrEqual(1);
    expect(body.erasure.redactedEvents).toBeGreaterThanOrEqual(1);

    // Nothing of the person is left in any table or Redis key of this run.
    for (const needle of [p.waId, p.name, p.text, p.text.slice(6, 16), p.workplace]) expect(await findEverywhere(needle), needle).toEqual([]);
    expect(await sql('select id from lead_memories where lead_id = ?', [leadId])).toEqual([]);
    expect(await memoryVectors()).toBe(0);
    // A turn's memory write that lands after the erase (it was running when the erase came) stores nothing.
    const late = await new LeadMemoryRepository(h.orm.em.fork()).save(leadId, [{ kind: 'preference', text: `wants a balcony ${p.workplace}`, messageId: 'wamid.late' }]);
    expect(late).toEqual([]);
    expect(await sql('select id from lead_memories where lead_id = ?', [leadId])).toEqual([]);
    // The lead stays as an anonymous statistic; the workflow ended.
    const [lead] = await sql<{ status: string; channel: string; erased_at: Date | null; deleted_at: Date | null }>('select status, channel, erased_at, deleted_at from leads where id = ?', [leadId]);
    expect(lead).toMatchObject({ channel: 'whatsapp' });
    expect(lead!.erased_at).not.toBeNull();
    expect((await h.temporal.workflow.getHandle(workflowId).describe()).status.name).not.toBe('RUNNING');
    // Crypto-shredded: the history no longer decodes, here or in a process with a cold cache.
    await expect(h.encryption.codec.decode([started])).rejects.toBeInstanceOf(DataKeyDestroyedError);
    await expect(createPayloadEncryption(h.env, h.orm).codec.decode([started])).rejects.toBeInstanceOf(DataKeyDestroyedError);
    const [audit] = await sql<{ actor_role: string; details: Record<string, unknown> }>(`select actor_role, details from audit_log where action = 'contact.erase' and details->>'contactId' = ?`, [contactId]);
    expect(audit).toMatchObject({ actor_role: 'admin', details: { contactId, leadIds: [leadId], contactErased: true } });

    // The same number writes again: a new contact and a new lead, with nothing of the old one.
    const again = `Hi again ${randomBytes(4).toString('hex')}, villa in Dubai Hills`;
    await write(p, again);
    const fresh = await leadOf(p.waId);
    expect(fresh.lead_id).not.toBe(leadId);
    expect(fresh.contact_id).not.toBe(contactId);
    const state = await h.temporal.workflow.getHandle(`lead-${fresh.lead_id}`).query<{ transcript: Array<{ text: string }> }>('state');
    expect(state.transcript.map((t) => t.text).join(' ')).not.toContain(p.text);
    expect(state.transcript[0]!.text).toBe(again);
  });

  it('keeps an erased opt-out only as a hashed suppression entry, consulted before any send', async () => {
    const p = person();
    await write(p);
    const { contact_id: contactId } = await leadOf(p.waId);
    await write(p, 'STOP');
    await eventually(async () => ((await sql<{ opted_out_at: Date | null }>('select opted_out_at from contacts where id = ?', [contactId]))[0]?.opted_out_at ? true : undefined), 'the opt-out');
    const [before] = await sql<{ n: string }>('select count(*)::text as n from suppressions');
    const res = await fetch(`${h.baseUrl}/contacts/${contactId}/erase`, { method: 'POST', headers: admin });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { erasure: { suppressed: boolean } }).erasure.suppressed).toBe(true);
    const [after] = await sql<{ n: string }>('select count(*)::text as n from suppressions');
    expect(Number(after!.n)).toBeGreaterThan(Number(before!.n));
    expect(await findEverywhere(p.waId)).toEqual([]);

    // Writing again: a new lead, but nothing is sent to the number that said STOP.
    await write(p, 'Hello, is the villa still available?');
    const fresh = await leadOf(p.waId);
    expect(fresh.contact_id).not.toBe(contactId);
    const out = await sql<{ delivery_status: string }>(`select delivery_status from timeline_entries where lead_id = ? and direction = 'out'`, [fresh.lead_id]);
    expect(out.map((o) => o.delivery_status)).toEqual(['suppressed_opted_out']);
  });

  it('erases a lead by itself after its retention period without a message', async () => {
    const lead = await startLead(h, { first: 'Hi, 3 bed townhouse in Arabian Ranches', settings: fastSettings({ retentionMs: 3_000 }) });
    await waitForState(lead, (s) => s.turns === 1, 'the first reply');
    const [contact] = await sql<{ id: string; wa_id: string }>('select c.id, c.wa_id from contacts c join leads l on l.contact_id = c.id where l.id = ?', [lead.leadId]);
    await eventually(async () => ((await lead.handle.describe()).status.name === 'COMPLETED' ? true : undefined), 'the lead workflow to end', 60_000);
    const [row] = await eventually(async () => {
      const rows = await sql<{ erased_at: Date | null }>('select erased_at from leads where id = ?', [lead.leadId]);
      return rows[0]?.erased_at ? rows : undefined;
    }, 'the lead to be erased', 60_000);
    expect(row!.erased_at).not.toBeNull();
    await eventually(async () => {
      const keys = await sql<{ destroyed_at: Date | null }>('select destroyed_at from data_keys where owner = ?', [`lead:${lead.leadId}`]);
      return keys.length > 0 && keys.every((k) => k.destroyed_at) ? true : undefined;
    }, 'the lead key to be destroyed');
    expect(await findEverywhere(contact!.wa_id)).toEqual([]);
    const [audit] = await sql<{ actor_id: string }>(`select actor_id from audit_log where action = 'contact.erase_retention' and lead_id = ?`, [lead.leadId]);
    expect(audit?.actor_id).toBe('retention');
  });
});
