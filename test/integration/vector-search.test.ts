import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnitEntity } from '../../db/entities';
import { parseEnv } from '../../lib/env';
import { offlineEmbedding } from '../../lib/vector/offline.embedder';
import { createVectorStack, type VectorStack } from '../../lib/vector/vector.factory';
import { createHybridInventorySearch, type HybridMatch } from '../../activities/inventory/hybrid-inventory.search';
import { indexUnits, reindexAllUnits, removeUnitsFromIndex, unitsIndexStatus } from '../../activities/inventory/unit-index.sync';
import { reindexWorkflowId, startUnitsReindexIfStale } from '../../activities/inventory/unit-index.trigger';
import { toUnit } from '../../activities/inventory/postgres-inventory.search';
import { unitDocument } from '../../activities/inventory/unit-vector.document';
import { conceptsIn } from '../../domain/real-estate.synonyms';
import type { reindexUnitsWorkflow, ReindexProgress } from '../../workflows/reindex.workflow';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openai.server';
import { machineAuth, startHarness, type Harness } from '../support/harness';

// Semantic inventory search end to end on the seeded inventory: the units collection built by
// OpenAI embeddings (the fake server) and then by the offline embedder through the re-index
// workflow, hybrid search through GET /inventory/search, GET /inventory/:id, and the index
// following inventory writes.

let h: Harness;
let dir: string;
let openai: FakeOpenAiServer;
let offline: VectorStack;
let units: number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'leadline-vector-search-'));
  // the fake answers with the offline embedding, so OpenAI-embedded search is meaningful too
  openai = await startFakeOpenAiServer({ apiKey: 'sk-test-embeddings', embed: (text, _model, dims) => Array.from(offlineEmbedding(text, dims)) });
  h = await startHarness({ env: { VECTOR_DIR: dir } });
  offline = createVectorStack(h.env);
  units = await h.orm.em.fork().count(UnitEntity, {});
});
afterAll(async () => {
  await h?.close();
  await openai?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const get = async (p: string) => {
  const res = await fetch(`${h.baseUrl}${p}`, { headers: machineAuth });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('units collection', () => {
  it('is built with OpenAI embeddings in batches, each point naming its embedder', async () => {
    const stack = createVectorStack(parseEnv({ VECTOR_DIR: dir, OPENAI_API_KEY: 'sk-test-embeddings', OPENAI_BASE_URL: openai.baseUrl, OPENAI_EMBEDDING_DIMENSIONS: '384' }));
    expect(stack.embedder.id).toBe('openai:text-embedding-3-small:384');
    expect(await reindexAllUnits(h.orm.em.fork(), stack)).toBe(units);
    const calls = openai.requests.filter((r) => r.path === '/v1/embeddings');
    expect(calls.reduce((n, c) => n + (c.body.input as string[]).length, 0)).toBe(units);
    expect(calls.length).toBeGreaterThanOrEqual(Math.ceil(units / 128));
    for (const c of calls) {
      expect(c.body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 384, encoding_format: 'float' });
      expect((c.body.input as string[]).length).toBeLessThanOrEqual(128);
    }
    expect(await unitsIndexStatus(h.orm.em.fork(), stack)).toMatchObject({ collection: 'units_384', units, indexed: units, stale: 0 });
    const found = await createHybridInventorySearch(h.orm.em.fork(), stack)({ ...baseQuery, text: 'waterfront close to the subway' });
    expect(found[0]!.match.features.length).toBeGreaterThan(0);
  });

  it('is rebuilt in the background by the re-index workflow when the embedder changes', async () => {
    // the worker now runs the offline embedder, while the collection holds OpenAI vectors
    expect(await unitsIndexStatus(h.orm.em.fork(), offline)).toMatchObject({ indexed: 0, stale: units });
    const trigger = { temporal: h.temporal, orm: h.orm, vectors: offline, taskQueue: h.env.TEMPORAL_TASK_QUEUE, logger: h.logger };
    expect(await startUnitsReindexIfStale(trigger)).toBe('started');
    const handle = h.temporal.workflow.getHandle<typeof reindexUnitsWorkflow>(reindexWorkflowId(h.env.TEMPORAL_TASK_QUEUE));
    const result = await handle.result();
    expect(result).toMatchObject({ phase: 'done', indexed: units, total: units, embedder: offline.embedder.id });
    expect(await handle.query<ReindexProgress>('progress')).toMatchObject({ phase: 'done', indexed: units });
    expect(await unitsIndexStatus(h.orm.em.fork(), offline)).toMatchObject({ indexed: units, stale: 0 });
    expect(await startUnitsReindexIfStale(trigger)).toBe('fresh');
  });

  it('re-indexes across continue-as-new runs, resuming from the last batch', async () => {
    const workflowId = `units-reindex-test-${randomUUID()}`;
    const handle = await h.temporal.workflow.start<typeof reindexUnitsWorkflow>('reindexUnitsWorkflow', {
      workflowId,
      taskQueue: h.env.TEMPORAL_TASK_QUEUE,
      args: [{ batchSize: 50, batchesPerRun: 3 }],
    });
    const result = await handle.result();
    expect(result).toMatchObject({ phase: 'done', indexed: units, total: units });
    const first = await h.temporal.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
  });
});

const baseQuery = { listing: 'sale' as const, city: 'Dubai', areas: [], propertyType: null, bedsMin: 2, bedsMax: 2, budgetMin: null, budgetMax: 3_000_000, currency: 'AED', limit: 5 };

describe('GET /inventory/search', () => {
  it('ranks units with the asked features first and says why each one matched', async () => {
    const q = new URLSearchParams({ q: 'sea view, near the metro, a big balcony', city: 'Dubai', listing: 'sale', beds: '2', maxPrice: '3000000', limit: '5' });
    const { status, body } = await get(`/inventory/search?${q}`);
    expect(status).toBe(200);
    const items = body.items as HybridMatch[];
    expect(items).toHaveLength(5);
    for (const m of items) {
      expect(m.unit).toMatchObject({ city: 'Dubai', listing: 'sale' });
      expect(m.unit.beds).toBeGreaterThanOrEqual(1);
      expect(m.unit.beds).toBeLessThanOrEqual(3);
      expect(m.unit.price).toBeLessThan(3_000_000 * 1.25);
      for (const f of m.match.features) expect(conceptsIn(unitDocument(m.unit))).toContain(f);
      expect(m.reasons.length).toBeGreaterThan(0);
    }
    const top = items[0]!;
    expect(top.match.features.length).toBeGreaterThanOrEqual(2);
    expect(top.reasons).toEqual(expect.arrayContaining(top.match.features));
    expect(top.match.features.every((f) => ['sea view', 'near metro', 'balcony'].includes(f))).toBe(true);
    // without the words the same filters rank on area, beds and price alone
    const plain = await get(`/inventory/search?${new URLSearchParams({ city: 'Dubai', listing: 'sale', beds: '2', maxPrice: '3000000', limit: '5' })}`);
    const plainItems = plain.body.items as HybridMatch[];
    expect(plainItems.every((m) => m.match.similarity === null && m.match.features.length === 0)).toBe(true);
    const askedCount = (ms: HybridMatch[]) => ms.reduce((n, m) => n + m.unit.features.filter((f) => ['sea view', 'near metro', 'balcony'].includes(f)).length, 0);
    expect(askedCount(items)).toBeGreaterThan(askedCount(plainItems));
  });

  it('finds units by synonyms of their features', async () => {
    const { body } = await get(`/inventory/search?${new URLSearchParams({ q: 'waterfront, close to the subway', city: 'Dubai', limit: '3' })}`);
    const items = body.items as HybridMatch[];
    expect(items[0]!.unit.features).toEqual(expect.arrayContaining(['sea view', 'near metro']));
    expect(items[0]!.match.features).toEqual(['sea view', 'near metro']);
  });

  it('rejects a bad query with the error envelope', async () => {
    const { status, body } = await get('/inventory/search?beds=lots&limit=500');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'bad_request', message: 'Invalid query' } });
    expect(JSON.stringify(body.error)).toMatch(/beds/);
  });
});

describe('GET /inventory/:id', () => {
  it('returns one unit, or 404 in the envelope', async () => {
    const ok = await get('/inventory/U0001');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: 'U0001', city: expect.any(String), features: expect.any(Array) });
    const missing = await get('/inventory/U-NOPE');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'not_found', details: { id: 'U-NOPE' } } });
  });
});

describe('index follows inventory writes', () => {
  it('finds a new unit once indexed and forgets it once removed', async () => {
    const em = h.orm.em.fork();
    const id = `UT${randomUUID().slice(0, 8)}`;
    const row = em.create(UnitEntity, {
      id, title: 'Sky villa with rooftop helipad', listing: 'sale', city: 'Dubai', area: 'Palm Jumeirah', location: 'Palm Jumeirah, Dubai',
      propertyType: 'villa', beds: 5, baths: 6, areaM2: 900, price: 45_000_000, currency: 'AED', rentPeriod: null, completion: 'ready',
      features: ['private pool', 'sea view'], description: 'A rooftop helipad above a private beach.',
    });
    await em.flush();
    try {
      await indexUnits(offline, [toUnit(row)]);
      const q = `/inventory/search?${new URLSearchParams({ q: 'helipad on the roof', city: 'Dubai', limit: '3' })}`;
      expect(((await get(q)).body.items as HybridMatch[])[0]!.unit.id).toBe(id);
      await em.remove(row).flush();
      await removeUnitsFromIndex(offline, [id]);
      expect(((await get(q)).body.items as HybridMatch[]).map((m) => m.unit.id)).not.toContain(id);
    } finally {
      await h.orm.em.fork().nativeDelete(UnitEntity, { id });
    }
  });
});

describe('inventory routes are for signed-in users', () => {
  it('answers 401 in the envelope without a session or token', async () => {
    for (const p of ['/inventory/search?q=sea%20view', '/inventory/U-1']) {
      const res = await fetch(`${h.baseUrl}${p}`);
      expect(res.status, p).toBe(401);
      expect(((await res.json()) as { error?: { code?: string } }).error?.code).toBe('unauthorized');
    }
  });
});

