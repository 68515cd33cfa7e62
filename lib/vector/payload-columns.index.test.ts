import { describe, expect, it } from 'vitest';
import { EmbeddedCollection } from './embedded-collection';
import { PayloadColumns } from './payload-columns.index';
import { slotsOf } from './slot.bitset';
import { type Condition, payloadMatches, type VectorFilter, type VectorPayload } from './vector-index.contract';

// The bitset evaluation of filters must mean exactly what the contract's reference semantics
// (payloadMatches, which Qdrant's filter language mirrors) say, whichever path a condition takes:
// posting bitsets or sets, inlined ranges, nested groups, unindexed fields, freed slots.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const CITIES = ['Dubai', 'Abu Dhabi', 'Sharjah', 'Ajman'];
const CURRENCIES = ['AED', 'USD', 'EUR'];

function payloadAt(r: () => number, i: number): VectorPayload {
  return {
    unit: `U${i}`,
    // a common value (bitset posting) next to rare ones (set postings)
    city: r() < 0.7 ? 'Dubai' : CITIES[Math.floor(r() * CITIES.length)]!,
    currency: r() < 0.1 ? null : CURRENCIES[Math.floor(r() * CURRENCIES.length)]!,
    beds: r() < 0.05 ? 'many' : Math.floor(r() * 6),
    price: Math.round(r() * 1000),
    furnished: r() < 0.5,
  };
}

function randomCondition(r: () => number, depth: number): Condition {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const k = Math.floor(r() * (depth > 0 ? 8 : 7));
  if (k === 0) return { key: 'city', match: pick(CITIES) };
  if (k === 1) return { key: 'currency', any: [pick(CURRENCIES), pick(CURRENCIES)] };
  if (k === 2) return { key: 'beds', range: r() < 0.5 ? { gte: Math.floor(r() * 4), lte: Math.floor(r() * 6) } : { gt: 2 } };
  if (k === 3) return { key: 'price', range: { gt: Math.round(r() * 500), lt: 500 + Math.round(r() * 500), ...(r() < 0.3 && { gte: 100 }) } };
  if (k === 4) return { key: 'furnished', match: r() < 0.5 };
  if (k === 5) return { key: 'beds', any: [1, 3] };
  // unique values: set postings, not bitsets
  if (k === 6) return { key: 'unit', any: Array.from({ length: 400 }, () => `U${Math.floor(r() * 3000)}`) };
  return { filter: randomFilter(r, depth - 1) };
}

function randomFilter(r: () => number, depth: number): VectorFilter {
  const some = (n: number) => Array.from({ length: Math.floor(r() * n) }, () => randomCondition(r, depth));
  return { must: some(3), should: some(3), mustNot: some(2) };
}

describe('payload columns', () => {
  it('leave exactly the slots the reference filter semantics pass, for random nested filters', () => {
    const r = rng(11);
    const n = 3000;
    const payloads: Array<VectorPayload | null> = Array.from({ length: n }, (_, i) => payloadAt(r, i));
    const cols = new PayloadColumns({ unit: 'keyword', city: 'keyword', currency: 'keyword', beds: 'integer', price: 'float' }, 1024, (slot) => payloads[slot] ?? null);
    cols.grow(n);
    payloads.forEach((p, slot) => cols.write(slot, p));
    // freed slots and rewritten payloads must leave the postings consistent
    for (let slot = 0; slot < n; slot += 7) {
      payloads[slot] = null;
      cols.write(slot, null);
    }
    for (let slot = 3; slot < n; slot += 11) {
      payloads[slot] = payloadAt(r, slot);
      cols.write(slot, payloads[slot] ?? null);
    }
    const out = { slots: new Int32Array(16) };
    for (let t = 0; t < 300; t++) {
      const filter = randomFilter(r, 2);
      const bits = cols.match(filter);
      const found = slotsOf(bits, out);
      const got = Array.from(out.slots.subarray(0, found));
      const want = payloads.flatMap((p, slot) => (p && payloadMatches(p, filter) ? [slot] : []));
      expect(got, JSON.stringify(filter)).toEqual(want);
      expect(cols.count(bits)).toBe(want.length);
    }
  });
});

describe('embedded collection search plan', () => {
  it('finds the exact nearest passing points whether it scans or asks the graph', () => {
    const r = rng(5);
    const dims = 16;
    const n = 6000;
    const vec = () => Float32Array.from({ length: dims }, () => r() - 0.5);
    const points = Array.from({ length: n }, (_, i) => ({ id: `p${i}`, vector: vec(), payload: { city: i % 10 === 0 ? 'rare' : 'common' } as VectorPayload }));
    const c = new EmbeddedCollection({ dims, indexes: { city: 'keyword' } });
    c.upsert(points);
    const norm = (v: Float32Array) => Math.hypot(...v);
    for (const city of ['rare', 'common']) {
      const q = vec();
      const filter: VectorFilter = { must: [{ key: 'city', match: city }] };
      const hits = c.search(q, 5, filter);
      const exact = points
        .filter((p) => p.payload.city === city)
        .map((p) => ({ id: p.id, score: p.vector.reduce((s, x, d) => s + x * q[d]!, 0) / (norm(p.vector) * norm(q)) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 5);
      expect(hits.every((h) => h.payload.city === city)).toBe(true);
      // the rare city (600 points) is scanned: exactly the true top 5; the common one (5400)
      // goes through the graph at this size: its best hit is the true nearest
      if (city === 'rare') expect(hits.map((h) => h.id)).toEqual(exact.map((e) => e.id));
      else expect(hits[0]!.id).toBe(exact[0]!.id);
      expect(hits[0]!.score).toBeCloseTo(exact[0]!.score, 5);
    }
  });
});
