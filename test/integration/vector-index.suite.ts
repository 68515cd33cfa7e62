import { describe, expect, it } from 'vitest';
import { payloadMatches, type VectorFilter, type VectorIndex, VectorIndexError, type VectorPoint } from '../../lib/vector/vector-index.contract';
import { seededRandom } from '../../domain/seeded-random.generator';

// The one behaviour every vector index implementation must have. Each implementation's test file
// calls this with a factory; the data are small unit-like payloads with seeded random vectors.

export const DIMS = 16;
const UNIT_INDEXES = { city: 'keyword', area: 'keyword', listing: 'keyword', type: 'keyword', beds: 'integer', price: 'float', currency: 'keyword' } as const;

const CITIES = [
  { city: 'Dubai', currency: 'AED', areas: ['Dubai Marina', 'Downtown Dubai', 'Palm Jumeirah'] },
  { city: 'London', currency: 'GBP', areas: ['Chelsea', 'Shoreditch'] },
  { city: 'New York', currency: 'USD', areas: ['Brooklyn'] },
];
const TYPES = ['apartment', 'villa', 'townhouse'];

export function makePoints(n: number, seed = 1, dims = DIMS): VectorPoint[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const c = CITIES[i % CITIES.length]!;
    return {
      id: `U${String(i).padStart(5, '0')}`,
      vector: Array.from({ length: dims }, () => r() * 2 - 1),
      payload: {
        city: c.city,
        area: c.areas[i % c.areas.length]!,
        listing: i % 4 === 0 ? 'rent' : 'sale',
        type: TYPES[i % TYPES.length]!,
        beds: i % 6,
        price: 100_000 + ((i * 7919) % 50) * 50_000,
        currency: c.currency,
      },
    };
  });
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

/** Brute force over the points the test wrote: what a correct index must return. */
export function exactTop(points: readonly VectorPoint[], q: readonly number[], limit: number, filter?: VectorFilter): string[] {
  return points
    .filter((p) => payloadMatches(p.payload, filter))
    .map((p) => ({ id: p.id, s: cosine(p.vector as number[], q) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, limit)
    .map((x) => x.id);
}

export function vectorIndexContract(label: string, make: () => Promise<{ index: VectorIndex; collection: string; cleanup?: () => Promise<void> }>) {
  describe(`vector index contract: ${label}`, () => {
    const setup = async (n: number) => {
      const ctx = await make();
      await ctx.index.ensureCollection(ctx.collection, { dims: DIMS, indexes: UNIT_INDEXES });
      const points = makePoints(n);
      if (n > 0) await ctx.index.upsert(ctx.collection, points);
      return { ...ctx, points };
    };

    it('creates a collection once and refuses the same name with other dimensions', async () => {
      const { index, collection, cleanup } = await setup(0);
      await index.ensureCollection(collection, { dims: DIMS, indexes: UNIT_INDEXES });
      expect(await index.count(collection)).toBe(0);
      await expect(index.ensureCollection(collection, { dims: DIMS + 1, indexes: UNIT_INDEXES })).rejects.toBeInstanceOf(VectorIndexError);
      await expect(index.search(`${collection}_missing`, new Array(DIMS).fill(0.1))).rejects.toBeInstanceOf(VectorIndexError);
      await cleanup?.();
    });

    it('upserts in batches, replaces by id and counts', async () => {
      const { index, collection, points, cleanup } = await setup(600);
      expect(await index.count(collection)).toBe(600);
      const moved = { ...points[5]!, payload: { ...points[5]!.payload, city: 'Sharjah', currency: 'AED' } };
      await index.upsert(collection, [moved]);
      expect(await index.count(collection)).toBe(600);
      expect(await index.count(collection, { must: [{ key: 'city', match: 'Sharjah' }] })).toBe(1);
      await cleanup?.();
    });

    it('finds the nearest points first, a stored vector itself with similarity 1', async () => {
      const { index, collection, points, cleanup } = await setup(300);
      const q = points[42]!.vector as number[];
      const hits = await index.search(collection, q, { limit: 5 });
      expect(hits).toHaveLength(5);
      expect(hits[0]).toMatchObject({ id: points[42]!.id, payload: points[42]!.payload });
      expect(hits[0]!.score).toBeCloseTo(1, 4);
      expect(hits.map((h) => h.id)).toEqual(exactTop(points, q, 5));
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
      await cleanup?.();
    });

    it('applies structured filters: city, area, listing, type, beds range, price range', async () => {
      const { index, collection, points, cleanup } = await setup(300);
      const q = points[7]!.vector as number[];
      const filters: VectorFilter[] = [
        { must: [{ key: 'city', match: 'London' }] },
        { must: [{ key: 'area', any: ['Dubai Marina', 'Brooklyn'] }] },
        { must: [{ key: 'listing', match: 'rent' }, { key: 'type', match: 'villa' }] },
        { must: [{ key: 'beds', range: { gte: 2, lte: 3 } }] },
        { must: [{ key: 'price', range: { lte: 600_000 } }, { key: 'city', match: 'Dubai' }] },
        { mustNot: [{ key: 'city', match: 'Dubai' }] },
        // price bands in each unit's own currency: what hybrid search sends
        { must: [{ filter: { should: [
          { filter: { must: [{ key: 'currency', match: 'AED' }, { key: 'price', range: { lte: 400_000 } }] } },
          { filter: { must: [{ key: 'currency', match: 'GBP' }, { key: 'price', range: { gte: 2_000_000 } }] } },
        ] } }] },
        { must: [{ key: 'city', match: 'Atlantis' }] },
      ];
      for (const filter of filters) {
        const hits = await index.search(collection, q, { filter, limit: 10 });
        const expected = exactTop(points, q, 10, filter);
        expect(hits.map((h) => h.id), JSON.stringify(filter)).toEqual(expected);
        for (const h of hits) expect(payloadMatches(h.payload, filter)).toBe(true);
        expect(await index.count(collection, filter)).toBe(points.filter((p) => payloadMatches(p.payload, filter)).length);
      }
      await cleanup?.();
    });

    it('holds lead memories: uuid ids, searched and erased by lead, only ids in the payload', async () => {
      const ctx = await make();
      const { index, collection } = ctx;
      await index.ensureCollection(collection, { dims: DIMS, indexes: { lead: 'keyword', embedder: 'keyword' } });
      const r = seededRandom(7);
      const leads = ['0b8f0d62-1c55-4a8e-9a57-2f1f3f7f2c01', '5d3c1a09-7e2b-4f6d-8c1e-9a0b1c2d3e4f'];
      const memories = Array.from({ length: 40 }, (_, i) => ({
        id: `${String(i).padStart(8, '0')}-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`,
        vector: Array.from({ length: DIMS }, () => r() * 2 - 1),
        payload: { lead: leads[i % 2]!, embedder: 'offline:test' },
      }));
      await index.upsert(collection, memories);
      const mine = { must: [{ key: 'lead', match: leads[0]! }, { key: 'embedder', match: 'offline:test' }] };
      const hits = await index.search(collection, memories[4]!.vector, { filter: mine, limit: 5 });
      expect(hits[0]!.id).toBe(memories[4]!.id);
      expect(hits.every((h) => h.payload.lead === leads[0])).toBe(true);
      expect(hits.map((h) => h.id)).toEqual(exactTop(memories, memories[4]!.vector, 5, mine));
      await index.deleteByFilter(collection, { must: [{ key: 'lead', any: [leads[0]!] }] });
      expect(await index.count(collection, { must: [{ key: 'lead', match: leads[0]! }] })).toBe(0);
      expect(await index.count(collection, { must: [{ key: 'lead', match: leads[1]! }] })).toBe(20);
      await ctx.cleanup?.();
    });

    it('deletes by ids and by filter', async () => {
      const { index, collection, points, cleanup } = await setup(120);
      await index.deleteByIds(collection, [points[0]!.id, points[1]!.id, 'U-not-there']);
      expect(await index.count(collection)).toBe(118);
      const hits = await index.search(collection, points[0]!.vector, { limit: 3 });
      expect(hits.map((h) => h.id)).not.toContain(points[0]!.id);
      const london: VectorFilter = { must: [{ key: 'city', match: 'London' }] };
      await index.deleteByFilter(collection, london);
      expect(await index.count(collection, london)).toBe(0);
      expect(await index.count(collection)).toBe(118 - points.slice(2).filter((p) => p.payload.city === 'London').length);
      await cleanup?.();
    });

    it('keeps filtered results right when the filter leaves most of a large collection', async () => {
      // beyond the embedded index's exact-scan size, so its graph path with over-fetch runs
      const { index, collection, points, cleanup } = await setup(4000);
      const filter: VectorFilter = { must: [{ key: 'listing', match: 'sale' }] };
      for (const i of [3, 2001, 3998]) {
        const q = points[i]!.vector as number[];
        const hits = await index.search(collection, q, { filter, limit: 10 });
        expect(hits).toHaveLength(10);
        for (const h of hits) expect(h.payload.listing).toBe('sale');
        expect(hits[0]!.id).toBe(points[i]!.id);
        const exact = exactTop(points, q, 10, filter);
        expect(hits.filter((h) => exact.includes(h.id)).length).toBeGreaterThanOrEqual(9);
      }
      await cleanup?.();
    });
  });
}
