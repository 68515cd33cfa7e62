import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetLeadMemories, recallLeadMemories, rememberLeadMessages, type LeadMemoryDeps } from '../../activities/memory/lead-memory.recall';
import { leadMemoriesCollection } from '../../activities/memory/lead-memory-vectors.store';
import { LeadMemoryRepository } from '../../db/lead-memory.repository';
import { LeadRepository } from '../../db/lead.repository';
import { parseEnv } from '../../lib/env';
import { createVectorStack, type VectorStack } from '../../lib/vector/vector.factory';
import { startFakeQdrantServer, type FakeQdrantServer } from '../fakes/qdrant.server';
import { createAgent } from '../../activities/agent/agent.factory';
import type { Agent } from '../../domain/agent.types';
import { eventually, startHarness, type Harness } from '../support/harness';
import { inbound, startLead, startWorkerWithAgent, waitForState } from './lead-support';
import { testWaId } from '../support/whatsapp.payloads';

// Where a lead memory's vector lives (ADR 019): on its Postgres row with the embedded index (the
// worker no longer holds every lead's vectors in memory), in the lead_memories collection with
// Qdrant (the fake server, through the real client). Either way the agent recalls by meaning
// and the erasure leaves nothing.

const SAID = 'We have two kids so we need a school nearby, and a big balcony is a must. Budget up to 3M AED';

describe('lead memory vectors', () => {
  let h: Harness;
  let qdrant: FakeQdrantServer;
  let dir: string;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const deps = (vectors: VectorStack): LeadMemoryDeps => ({ em: h.orm.em.fork(), vectors, logger: pino({ level: 'silent' }) });

  async function newLeadWithMemories(vectors: VectorStack): Promise<string> {
    const repo = new LeadRepository(h.orm.em.fork());
    const contact = await repo.resolveContact({ waId: testWaId(), name: 'Memory Test', market: 'AE' });
    const { lead } = await repo.openLeadFor(contact, 'whatsapp');
    const stored = await rememberLeadMessages(deps(vectors), { leadId: lead.id, market: 'AE', now: new Date().toISOString(), messages: [{ id: `wamid.${lead.id}`, from: 'lead', text: SAID }] });
    expect(stored).toBeGreaterThanOrEqual(3);
    return lead.id;
  }
  const rows = (leadId: string) => sql<{ text: string; embedder: string | null; bytes: number | null }>('select text, embedder, octet_length(embedding) as bytes from lead_memories where lead_id = ?', [leadId]);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'leadline-memory-vectors-'));
    qdrant = await startFakeQdrantServer();
    // Workers here are the test's own (startWorkerWithAgent), with the vector stack it watches.
    h = await startHarness({ env: { VECTOR_DIR: dir }, worker: false });
  });
  afterAll(async () => {
    await h?.close();
    await qdrant?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('with the embedded index: vectors on the rows, none in the index, recalled by meaning, embedded again when missing', async () => {
    const stack = createVectorStack(h.env);
    expect(stack.inProcess).toBe(true);
    const leadId = await newLeadWithMemories(stack);
    const stored = await rows(leadId);
    expect(stored.every((r) => r.embedder === stack.embedder.id && Number(r.bytes) === stack.embedder.dims * 4)).toBe(true);
    expect((await readdir(dir)).filter((f) => f.startsWith(leadMemoriesCollection(stack.embedder)))).toEqual([]);

    const recalled = await recallLeadMemories(deps(stack), { leadId, query: 'does it have a balcony?' });
    expect(recalled[0]!.text).toBe('wants a big balcony');
    expect(recalled.map((m) => m.text)).toEqual(expect.arrayContaining(stored.map((r) => r.text)));

    // rows from before (or another embedder's vectors) are embedded on the next recall and kept
    await sql(`update lead_memories set embedding = null, embedder = null where lead_id = ? and text = 'wants a big balcony'`, [leadId]);
    await sql(`update lead_memories set embedder = 'an-older-embedder' where lead_id = ? and text = 'has two kids'`, [leadId]);
    expect((await recallLeadMemories(deps(stack), { leadId, query: 'a balcony please' }))[0]!.text).toBe('wants a big balcony');
    expect((await rows(leadId)).every((r) => r.embedder === stack.embedder.id && Number(r.bytes) === stack.embedder.dims * 4)).toBe(true);

    expect(await forgetLeadMemories(deps(stack), [leadId])).toBe(stored.length);
    expect(await rows(leadId)).toEqual([]);
    expect(await stack.index.count(leadMemoriesCollection(stack.embedder), { must: [{ key: 'lead', match: leadId }] })).toBe(0);
  });

  it('with Qdrant: vectors in the lead_memories collection by lead, none on the rows, recalled by meaning, erased', async () => {
    const stack = createVectorStack(parseEnv({ QDRANT_URL: qdrant.url, VECTOR_DIR: dir }));
    expect(stack.inProcess).toBe(false);
    const leadId = await newLeadWithMemories(stack);
    const stored = await rows(leadId);
    expect(stored.every((r) => r.embedder === null && r.bytes === null)).toBe(true);
    const collection = leadMemoriesCollection(stack.embedder);
    expect(await stack.index.count(collection, { must: [{ key: 'lead', match: leadId }] })).toBe(stored.length);

    const recalled = await recallLeadMemories(deps(stack), { leadId, query: 'does it have a balcony?' });
    expect(recalled[0]!.text).toBe('wants a big balcony');

    expect(await forgetLeadMemories(deps(stack), [leadId])).toBe(stored.length);
    expect(await rows(leadId)).toEqual([]);
    expect(await stack.index.count(collection, { must: [{ key: 'lead', match: leadId }] })).toBe(0);
  });

  it("recalls nothing before a lead's first reply (no embedding, no search) and what the lead said on the next turn", async () => {
    const stack = createVectorStack(parseEnv({ QDRANT_URL: qdrant.url, VECTOR_DIR: dir }));
    const collection = leadMemoriesCollection(stack.embedder);
    const searched: string[] = [];
    const search = stack.index.search.bind(stack.index);
    stack.index.search = (name, vector, opts) => {
      searched.push(name);
      return search(name, vector, opts);
    };
    const real = createAgent(h.env, h.logger);
    const recalled: number[] = [];
    const agent: Agent = {
      name: real.name,
      turn: async (input, tools) => {
        recalled.push(input.memories?.length ?? 0);
        return real.turn(input, tools);
      },
    };
    const worker = await startWorkerWithAgent(h, agent, { vectors: stack });
    try {
      const lead = await startLead(h, { first: SAID });
      await waitForState(lead, (s) => s.turns === 1, 'the first turn');
      // the memories are written after the first reply, and only then searched
      await eventually(async () => ((await stack.index.count(collection, { must: [{ key: 'lead', match: lead.leadId }] })) > 0 ? true : undefined), 'the memories indexed');
      expect(searched.filter((n) => n === collection)).toEqual([]);
      expect(recalled).toEqual([0]);

      await lead.handle.signal('inbound', inbound('does it have a balcony?'));
      await waitForState(lead, (s) => s.turns === 2, 'the second turn');
      expect(searched.filter((n) => n === collection)).toHaveLength(1);
      expect(recalled[1]).toBeGreaterThan(0);
    } finally {
      await worker.stop();
    }
  });

  it('stores a turn\'s memories in one statement: new ones in order, nothing twice, nothing for an erased lead', async () => {
    const repo = new LeadRepository(h.orm.em.fork());
    const contact = await repo.resolveContact({ waId: testWaId(), name: 'Batch Test', market: 'AE' });
    const { lead } = await repo.openLeadFor(contact, 'whatsapp');
    const memories = new LeadMemoryRepository(h.orm.em.fork());
    const first = await memories.save(lead.id, [{ kind: 'fact', text: 'has two kids', messageId: 'wamid.a' }]);
    expect(first.map((m) => m.text)).toEqual(['has two kids']);

    const saved = await memories.save(lead.id, [
      { kind: 'preference', text: 'wants a balcony', messageId: 'wamid.b' },
      { kind: 'fact', text: 'has two kids', messageId: 'wamid.a' },
      { kind: 'preference', text: 'near a school', messageId: 'wamid.b' },
      { kind: 'preference', text: 'wants a balcony', messageId: 'wamid.b' },
    ]);
    expect(saved.map((m) => [m.kind, m.text, m.messageProviderId])).toEqual([
      ['preference', 'wants a balcony', 'wamid.b'],
      ['preference', 'near a school', 'wamid.b'],
    ]);
    expect((await rows(lead.id)).map((r) => r.text).sort()).toEqual(['has two kids', 'near a school', 'wants a balcony']);
    expect(await memories.save(lead.id, [])).toEqual([]);

    await sql('update leads set erased_at = now() where id = ?', [lead.id]);
    expect(await memories.save(lead.id, [{ kind: 'fact', text: 'moved to Abu Dhabi', messageId: 'wamid.c' }])).toEqual([]);
    expect(await rows(lead.id)).toHaveLength(3);
  });
});
