import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reindexAllUnits } from '../../activities/inventory/unit-index.sync';
import { createVectorStack } from '../../lib/vector/vector.factory';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';
import { eventually, machineAuth, startHarness, type Harness } from '../support/harness';
import type { LeadMemoryList } from '../../domain/lead-memory.schema';
import { fastSettings, inbound, startLead, timeline, waitForState } from './lead-support';
import { apiSession } from '../support/sign-in';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// The agent's inventory_search on the semantic index, end to end: a WhatsApp lead asks for
// features in their own words, the worker's hybrid search finds units that have them, and the
// reply the fake Meta server receives says why each one fits. Lead memories: written after each
// turn, listed for brokers, and recalled by the agent after a continue-as-new.

const SECRET = 'test-app-secret';
const TOKEN = 'wa-token';
const ASKED = ['sea view', 'near metro', 'balcony'];
const anonymousStatus = (res: Response) => res.status;

describe('agent inventory search by features', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  let dir: string;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const sendsTo = (to: string) => meta.requests.filter((r) => r.method === 'POST' && (r.body as { to?: string } | undefined)?.to === to);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'leadline-agent-search-'));
    meta = await startFakeMetaServer({ token: TOKEN });
    h = await startHarness({ env: { VECTOR_DIR: dir, WHATSAPP_APP_SECRET: SECRET, WHATSAPP_TOKEN: TOKEN, META_GRAPH_URL: meta.baseUrl, META_API_VERSION: 'v23.0' } });
    expect(await reindexAllUnits(h.orm.em.fork(), createVectorStack(h.env))).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await h?.close();
    await meta?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sends units that have the asked features, each with the reason', async () => {
    const waId = testWaId();
    const text = 'Hi, I want to buy a 2 bed apartment in Dubai up to 3M AED. Sea view, near the metro, a big balcony please';
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text }), { secret: SECRET })).status).toBe(200);
    const body = await eventually(async () => {
      const send = sendsTo(waId)[0];
      return (send?.body as { text?: { body?: string } } | undefined)?.text?.body;
    }, 'the reply at the fake Meta server', 60_000);

    // "1. *2-bed apartment in …*: …" then "   Why: sea view, near metro" under each unit that has asked features
    const lines = [...body.matchAll(/^(\d)\. \*[^\n]*(?:\n\s+Why: ([^\n]+))?/gm)].map((m) => ({ n: Number(m[1]), why: m[2]?.split(', ') ?? [] }));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]!.why.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) for (const f of l.why) expect(ASKED).toContain(f);

    // the units shown are the turn's matches (score 50 and up, in order): each really has its reasons
    const [lead] = await sql<{ id: string; workflow_id: string }>('select l.id, l.workflow_id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?', [waId]);
    // the reply leaves inside the turn's activity, before the workflow records the turn's matches
    const handle = h.temporal.workflow.getHandle(lead!.workflow_id);
    const state = await eventually(async () => {
      const s = await handle.query<{ turns: number; matches: Array<{ unitId: string; score: number }> }>('state');
      return s.turns >= 1 ? s : undefined;
    }, 'the turn recorded in the workflow');
    const shown = state.matches.filter((m) => m.score >= 50);
    for (const l of lines) {
      const [unit] = await sql<{ features: string[]; city: string; listing: string }>('select features, city, listing from units where id = ?', [shown[l.n - 1]!.unitId]);
      expect(unit).toMatchObject({ city: 'Dubai', listing: 'sale' });
      expect(unit!.features).toEqual(expect.arrayContaining(l.why));
    }
    const [turn] = await sql<{ body: string }>(`select body from timeline_entries where lead_id = ? and direction = 'out' order by created_at limit 1`, [lead!.id]);
    expect(turn!.body).toBe(body);
  });

  it('remembers what the lead said and uses it after a continue-as-new', async () => {
    const lead = await startLead(h, { settings: fastSettings({ continueAsNewAfterEvents: 30 }) });
    const first = inbound('Hi! We have two kids so we need a school nearby, and a big balcony is a must');
    await lead.handle.signal('inbound', first);
    await waitForState(lead, (s) => s.turns === 1, 'turn 1');

    const memories = await eventually(async () => {
      const res = await fetch(`${h.baseUrl}/leads/${lead.leadId}/memories`, { headers: machineAuth });
      expect(res.status).toBe(200);
      const body = (await res.json()) as LeadMemoryList;
      return body.items.length >= 3 ? body.items : undefined;
    }, 'the memories of turn 1');
    expect(memories.map((m) => m.text)).toEqual(expect.arrayContaining(['has two kids', 'needs a school nearby', 'wants a big balcony']));
    expect(memories.every((m) => m.messageId === first.providerId)).toBe(true);
    // without a vector server each memory's embedding stays on its row (ADR 019), made by this stack's embedder
    const stack = createVectorStack(h.env);
    expect(stack.inProcess).toBe(true);
    const embedded = await eventually(async () => {
      const rows = await sql<{ embedder: string | null; bytes: number | null }>('select embedder, octet_length(embedding) as bytes from lead_memories where lead_id = ?', [lead.leadId]);
      return rows.length === memories.length && rows.every((r) => r.embedder !== null) ? rows : undefined;
    }, 'the memories embedded on their rows');
    expect(embedded.every((r) => r.embedder === stack.embedder.id && Number(r.bytes) === stack.embedder.dims * 4)).toBe(true);
    expect(anonymousStatus(await fetch(`${h.baseUrl}/leads/${lead.leadId}/memories`))).toBe(401);

    // more turns until the workflow continues as new; the balcony is never said again
    let turns = 1;
    for (const text of ['We want to buy a 2 bed apartment', 'Budget up to 3M AED, paying cash', 'Not sure yet', 'Still thinking']) {
      if ((await waitForState(lead, (s) => s.turns === turns, `turn ${turns}`)).generation >= 2) break;
      await lead.handle.signal('inbound', inbound(text));
      turns += 1;
    }
    const continued = await waitForState(lead, (s) => s.generation >= 2 && s.turns === turns, 'the new run', 60_000);
    await lead.handle.signal('inbound', inbound('Dubai Marina please'));
    await waitForState(lead, (s) => s.turns === continued.turns + 1, 'the turn after continue-as-new');
    const replies = await eventually(async () => {
      const rows = (await timeline(h, lead.leadId)).filter((r) => r.direction === 'out' && r.body);
      return rows.length >= continued.turns + 1 ? rows : undefined;
    }, 'the reply after continue-as-new');
    const last = replies.at(-1)!.body!;
    expect(last).toMatch(/Why: [^\n]*balcony/);
  });

  it("sends a unit to a lead through the lead's channel, with why it fits, and records it on the timeline", async () => {
    const waId = testWaId();
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hi, I would love a place with a sea view and a balcony' }), { secret: SECRET })).status).toBe(200);
    await eventually(async () => (sendsTo(waId).length > 0 ? true : undefined), 'the first reply');
    const [row] = await sql<{ id: string }>('select l.id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?', [waId]);
    const leadId = row!.id;
    await eventually(async () => ((await sql('select id from lead_memories where lead_id = ?', [leadId])).length >= 2 ? true : undefined), 'the memories');
    const [unit] = await sql<{ id: string; title: string }>(`select id, title from units where features @> '{"sea view","balcony"}'::text[] order by id limit 1`);
    const james = await apiSession(h.baseUrl, 'james@example.com');
    const priya = await apiSession(h.baseUrl, 'priya@example.com');
    const send = (headers: Record<string, string>, body: unknown) =>
      fetch(`${h.baseUrl}/leads/${leadId}/units`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    // only the owner may send, as with any message; an unknown unit is a 404
    expect((await send(james, { unitId: unit!.id })).status).toBe(403);
    expect((await fetch(`${h.baseUrl}/leads/${leadId}/claim`, { method: 'POST', headers: { 'content-type': 'application/json', ...james }, body: '{}' })).status).toBe(200);
    expect((await send(priya, { unitId: unit!.id })).status).toBe(403);
    const missing = await send(james, { unitId: 'U-NOPE' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await send(james, { unitId: unit!.id, extra: 1 })).status).toBe(400);

    const res = await send(james, { unitId: unit!.id });
    expect(res.status).toBe(201);
    const sent = (await res.json()) as { message: { messageId: string; status: string }; unit: { id: string }; why: string[] };
    expect(sent.unit.id).toBe(unit!.id);
    expect(sent.why).toEqual(expect.arrayContaining(['sea view', 'balcony']));
    const delivered = await eventually(async () => {
      const texts = sendsTo(waId).map((r) => (r.body as { text?: { body?: string } }).text?.body ?? '');
      return texts.find((t) => t.includes(`Ref ${unit!.id}`));
    }, 'the unit at the fake Meta server');
    expect(delivered).toMatch(/Why: [^\n]*sea view/);
    const rows = await timeline(h, leadId);
    expect(rows.find((r) => r.type === 'unit_sent')).toMatchObject({ body: expect.stringContaining(unit!.id), meta: expect.objectContaining({ unitId: unit!.id }) });
    expect(rows.some((r) => r.direction === 'out' && r.body === delivered)).toBe(true);
  });
});
