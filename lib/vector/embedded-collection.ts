import { Index, MetricKind, ScalarKind } from 'usearch';
import {
  type CollectionSpec,
  type Condition,
  inRange,
  payloadMatches,
  type VectorFilter,
  type VectorHit,
  type VectorPayload,
} from './vector-index.contract';

// One collection of the embedded index in memory: vectors (L2-normalised, one slot each), their
// payloads, typed columns for the indexed payload fields, and a usearch HNSW graph keyed by slot.
// usearch has no filtered search, so search plans like Qdrant does: when the filter leaves few
// points (by a scan of the columns) it scores them exactly; otherwise it over-fetches from the
// graph in proportion to the filter's selectivity and keeps what passes, falling back to the
// exact scan if too little survives.

/** At or below this many filtered candidates an exact scan (1.5M multiply-adds, about a
 *  millisecond or two at 384 dims) is cheaper than asking the graph for enough neighbours that
 *  `limit` of them pass the filter. */
const EXACT_MAX = 4096;
/** The largest over-fetch asked of the graph before giving up on it for the exact scan. A
 *  correlated filter (the nearest units are all in another city) needs deep searches; they still
 *  cost less than scoring tens of thousands of matching points exactly (bench/vector.bench.ts). */
const MAX_FETCH = 4096;
// The graph holds int8-quantised copies (a quarter of the memory, several times faster to build);
// its candidates are re-scored exactly against the float32 vectors, so scores and order are exact
// and only recall depends on the graph.
const HNSW = { connectivity: 16, expansion_add: 64, expansion_search: 96 };

type Column =
  /** `postings[code]`: the slots holding that value, so a keyword filter starts from its own points. */
  | { type: 'keyword'; codes: Int32Array; dict: Map<string, number>; postings: Array<Set<number>> }
  | { type: 'integer' | 'float'; values: Float64Array };

/** Slots sampled to estimate how many points a filter leaves, before deciding how to search
 *  (strided, so each costs a cache miss per column: a few hundred is enough to choose a plan). */
const SAMPLE = 256;
/** Above this many estimated matches the graph is asked first; at or below, the matching points
 *  are scored exactly (3M multiply-adds at 384 dims costs less than a failed graph attempt followed
 *  by the scan anyway, which is what a filter near the threshold would otherwise pay). */
const GRAPH_FIRST = 2 * EXACT_MAX;

export interface CollectionSnapshot {
  spec: CollectionSpec;
  ids: Array<string | null>;
  payloads: Array<VectorPayload | null>;
  vectors: Float32Array;
}

export class EmbeddedCollection {
  readonly spec: CollectionSpec;
  private readonly dims: number;
  private ids: Array<string | null> = [];
  private payloads: Array<VectorPayload | null> = [];
  private vectors: Float32Array;
  private readonly slotOf = new Map<string, number>();
  private free: number[] = [];
  private columns = new Map<string, Column>();
  private graph: Index;

  constructor(spec: CollectionSpec, initialCapacity = 1024) {
    this.spec = spec;
    this.dims = spec.dims;
    this.vectors = new Float32Array(initialCapacity * spec.dims);
    this.graph = newGraph(spec.dims);
    for (const [key, type] of Object.entries(spec.indexes)) {
      this.columns.set(key, type === 'keyword' ? { type, codes: new Int32Array(initialCapacity).fill(-1), dict: new Map(), postings: [] } : { type, values: new Float64Array(initialCapacity).fill(NaN) });
    }
  }

  get size(): number {
    return this.slotOf.size;
  }

  private get capacity(): number {
    return this.vectors.length / this.dims;
  }

  upsert(points: ReadonlyArray<{ id: string; vector: Float32Array; payload: VectorPayload }>): void {
    const newKeys: number[] = [];
    // last write wins within a batch, as it would across batches
    for (const p of new Map(points.map((x) => [x.id, x])).values()) {
      if (p.vector.length !== this.dims) throw new RangeError(`vector has ${p.vector.length} dimensions, the collection ${this.dims}`);
      let slot = this.slotOf.get(p.id);
      if (slot !== undefined) this.graph.remove(BigInt(slot));
      else {
        slot = this.free.pop() ?? this.ids.length;
        if (slot >= this.capacity) this.grow(Math.max(slot + 1, this.capacity * 2));
        this.slotOf.set(p.id, slot);
      }
      this.ids[slot] = p.id;
      this.payloads[slot] = { ...p.payload };
      this.vectors.set(normalise(p.vector), slot * this.dims);
      this.writeColumns(slot, p.payload);
      newKeys.push(slot);
    }
    if (newKeys.length === 0) return;
    const keys = BigUint64Array.from(newKeys, (k) => BigInt(k));
    const flat = new Float32Array(newKeys.length * this.dims);
    newKeys.forEach((slot, i) => flat.set(this.vectors.subarray(slot * this.dims, (slot + 1) * this.dims), i * this.dims));
    this.graph.add(keys, flat, 0);
  }

  deleteIds(ids: readonly string[]): number {
    let n = 0;
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      this.slotOf.delete(id);
      this.graph.remove(BigInt(slot));
      this.ids[slot] = null;
      this.payloads[slot] = null;
      this.writeColumns(slot, {});
      this.free.push(slot);
      n++;
    }
    return n;
  }

  idsMatching(filter: VectorFilter): string[] {
    const pass = this.compile(filter);
    const out: string[] = [];
    for (const [id, slot] of this.slotOf) if (pass(slot)) out.push(id);
    return out;
  }

  count(filter?: VectorFilter): number {
    if (!filter) return this.size;
    const pass = this.compile(filter);
    let n = 0;
    for (const slot of this.slotOf.values()) if (pass(slot)) n++;
    return n;
  }

  search(query: Float32Array, limit: number, filter?: VectorFilter): VectorHit[] {
    if (query.length !== this.dims) throw new RangeError(`query has ${query.length} dimensions, the collection ${this.dims}`);
    if (limit <= 0 || this.size === 0) return [];
    const q = normalise(query);
    if (!filter) return this.size <= EXACT_MAX ? this.exact(q, limit, this.slotOf.values()) : this.approximate(q, limit, limit * 3, () => true);
    const pass = this.compile(filter);
    // Plan without touching every point: a strided sample estimates how many pass (and how often
    // each required condition does). Broad filters go to the graph first (over-fetching by the
    // inverse selectivity, widened once); narrow ones, and broad ones the graph could not serve
    // (the filter correlates with the query: the nearest units are all in another city), are
    // scored exactly, collected from the smallest keyword posting list the filter requires with
    // the rarest conditions checked first. Scores are exact either way.
    const must = (filter.must ?? []).map((c) => ({ c, pass: this.compileCondition(c), hits: 0 }));
    const rest = filter.should?.length || filter.mustNot?.length ? this.compile({ ...(filter.should && { should: filter.should }), ...(filter.mustNot && { mustNot: filter.mustNot }) }) : null;
    const estimate = this.estimate(pass, must);
    const graphFirst = estimate > GRAPH_FIRST;
    if (graphFirst) {
      const hits = this.fromGraph(q, limit, estimate, pass);
      if (hits) return hits;
    }
    const driver = this.driver(filter);
    const checks = must.filter((m) => m.c !== driver?.condition).sort((a, b) => a.hits - b.hits).map((m) => m.pass);
    if (rest) checks.push(rest);
    const matching: number[] = [];
    const n = checks.length;
    const collect = (slot: number) => {
      for (let i = 0; i < n; i++) if (!checks[i]!(slot)) return;
      matching.push(slot);
    };
    if (driver) for (const slot of driver.slots) collect(slot);
    else {
      const ids = this.ids;
      for (let slot = 0; slot < ids.length; slot++) if (ids[slot] != null) collect(slot);
    }
    // the sample missed a broad filter: the graph after all, when it can serve it
    if (!graphFirst && matching.length > 2 * GRAPH_FIRST) {
      const hits = this.fromGraph(q, limit, matching.length, pass);
      if (hits) return hits;
    }
    return this.exact(q, limit, matching);
  }

  /** The graph's nearest passing points, over-fetched by the inverse selectivity and widened; null when it cannot find `limit`. */
  private fromGraph(q: Float32Array, limit: number, matches: number, pass: (slot: number) => boolean): VectorHit[] | null {
    for (let fetch = Math.ceil((limit * this.size) / matches) * 2 + 16; fetch <= MAX_FETCH; fetch *= 4) {
      const hits = this.approximate(q, limit, fetch, pass);
      if (hits.length >= limit) return hits;
    }
    return null;
  }

  /** Points passing `pass`, estimated from a strided sample of the slots; counts each `must` condition's passes on the way. */
  private estimate(pass: (slot: number) => boolean, must: Array<{ pass: (slot: number) => boolean; hits: number }>): number {
    const ids = this.ids;
    const step = Math.max(1, Math.floor(ids.length / SAMPLE));
    let seen = 0;
    let passed = 0;
    for (let slot = 0; slot < ids.length; slot += step) {
      if (ids[slot] == null) continue;
      seen++;
      for (const m of must) if (m.pass(slot)) m.hits++;
      if (pass(slot)) passed++;
    }
    return seen === 0 ? 0 : (passed / seen) * this.size;
  }

  /** The smallest posting list a top-level `must` keyword condition allows, or null (scan all). */
  private driver(filter: VectorFilter): { condition: Condition; slots: Iterable<number> } | null {
    let best: Set<number>[] | null = null;
    let bestCondition: Condition | null = null;
    let bestSize = Infinity;
    for (const c of filter.must ?? []) {
      if ('filter' in c || 'range' in c) continue;
      const col = this.columns.get(c.key);
      if (!col || col.type !== 'keyword') continue;
      const lists = ('match' in c ? [c.match] : c.any).flatMap((v) => {
        const code = typeof v === 'string' ? col.dict.get(v) : undefined;
        const list = code === undefined ? undefined : col.postings[code];
        return list ? [list] : [];
      });
      const size = lists.reduce((n, l) => n + l.size, 0);
      if (size < bestSize) {
        best = lists;
        bestCondition = c;
        bestSize = size;
      }
    }
    if (!best || !bestCondition) return null;
    const all = best;
    const slots = all.length === 1 ? all[0]! : (function* () {
      for (const l of all) yield* l;
    })();
    return { condition: bestCondition, slots };
  }

  snapshot(): CollectionSnapshot {
    return { spec: this.spec, ids: this.ids.slice(), payloads: this.payloads.slice(), vectors: this.vectors.subarray(0, this.ids.length * this.dims) };
  }

  saveGraph(file: string): void {
    this.graph.save(file);
  }

  /** Rebuilds from a snapshot; the graph is loaded from `graphFile` when given, else rebuilt. */
  static restore(s: CollectionSnapshot, graphFile?: string): EmbeddedCollection {
    const c = new EmbeddedCollection(s.spec, Math.max(1024, s.ids.length));
    c.vectors.set(s.vectors);
    c.ids = s.ids.slice();
    c.payloads = s.payloads.slice();
    const live: number[] = [];
    s.ids.forEach((id, slot) => {
      if (id === null) c.free.push(slot);
      else {
        c.slotOf.set(id, slot);
        c.writeColumns(slot, s.payloads[slot] ?? {});
        live.push(slot);
      }
    });
    if (graphFile) c.graph.load(graphFile);
    else if (live.length > 0) {
      const flat = new Float32Array(live.length * c.dims);
      live.forEach((slot, i) => flat.set(c.vectors.subarray(slot * c.dims, (slot + 1) * c.dims), i * c.dims));
      c.graph.add(BigUint64Array.from(live, (k) => BigInt(k)), flat, 0);
    }
    return c;
  }

  private approximate(q: Float32Array, limit: number, fetch: number, pass: (slot: number) => boolean): VectorHit[] {
    const k = Math.min(this.size, Math.max(limit * 3, fetch));
    const found = this.graph.search(q, k, 1);
    const candidates: number[] = [];
    for (let i = 0; i < found.keys.length; i++) {
      const slot = Number(found.keys[i]);
      if (this.ids[slot] != null && pass(slot)) candidates.push(slot);
    }
    return this.exact(q, limit, candidates);
  }

  private exact(q: Float32Array, limit: number, slots: Iterable<number>): VectorHit[] {
    const dims = this.dims;
    const v = this.vectors;
    // a small sorted top-k: limit is tens, candidates up to EXACT_MAX (or all, for tiny collections)
    const topSlots: number[] = [];
    const topScores: number[] = [];
    const tail = dims - (dims % 4);
    for (const slot of slots) {
      // four accumulators: the scan is the hot loop of filtered search
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      const base = slot * dims;
      let d = 0;
      for (; d < tail; d += 4) {
        a0 += v[base + d]! * q[d]!;
        a1 += v[base + d + 1]! * q[d + 1]!;
        a2 += v[base + d + 2]! * q[d + 2]!;
        a3 += v[base + d + 3]! * q[d + 3]!;
      }
      for (; d < dims; d++) a0 += v[base + d]! * q[d]!;
      const dot = a0 + a1 + a2 + a3;
      if (topSlots.length === limit && dot <= topScores[limit - 1]!) continue;
      let i = topScores.length;
      while (i > 0 && topScores[i - 1]! < dot) i--;
      topScores.splice(i, 0, dot);
      topSlots.splice(i, 0, slot);
      if (topSlots.length > limit) {
        topSlots.pop();
        topScores.pop();
      }
    }
    return topSlots.map((slot, i) => this.hit(slot, topScores[i]!));
  }

  private hit(slot: number, score: number): VectorHit {
    return { id: this.ids[slot]!, score, payload: this.payloads[slot]! };
  }

  private grow(slots: number): void {
    const next = new Float32Array(slots * this.dims);
    next.set(this.vectors);
    this.vectors = next;
    for (const [key, col] of this.columns) {
      if (col.type === 'keyword') {
        const codes = new Int32Array(slots).fill(-1);
        codes.set(col.codes);
        this.columns.set(key, { ...col, codes, postings: col.postings });
      } else {
        const values = new Float64Array(slots).fill(NaN);
        values.set(col.values);
        this.columns.set(key, { ...col, values });
      }
    }
  }

  private writeColumns(slot: number, payload: VectorPayload): void {
    for (const [key, col] of this.columns) {
      const v = payload[key];
      if (col.type === 'keyword') {
        let code = -1;
        if (typeof v === 'string') {
          const known = col.dict.get(v);
          if (known === undefined) col.dict.set(v, (code = col.dict.size));
          else code = known;
        }
        const old = col.codes[slot]!;
        if (old === code) continue;
        if (old >= 0) col.postings[old]?.delete(slot);
        if (code >= 0) (col.postings[code] ??= new Set()).add(slot);
        col.codes[slot] = code;
      } else col.values[slot] = typeof v === 'number' ? v : NaN;
    }
  }

  /** A predicate over slots: indexed fields read their column, others the payload object. */
  private compile(filter: VectorFilter): (slot: number) => boolean {
    const must = (filter.must ?? []).map((c) => this.compileCondition(c));
    const should = (filter.should ?? []).map((c) => this.compileCondition(c));
    const mustNot = (filter.mustNot ?? []).map((c) => this.compileCondition(c));
    if (must.length === 1 && should.length === 0 && mustNot.length === 0) return must[0]!;
    // plain loops: this runs once per point on every filtered search
    return (slot) => {
      for (let i = 0; i < must.length; i++) if (!must[i]!(slot)) return false;
      if (should.length > 0) {
        let any = false;
        for (let i = 0; i < should.length && !any; i++) any = should[i]!(slot);
        if (!any) return false;
      }
      for (let i = 0; i < mustNot.length; i++) if (mustNot[i]!(slot)) return false;
      return true;
    };
  }

  private compileCondition(c: Condition): (slot: number) => boolean {
    if ('filter' in c) return this.compile(c.filter);
    const col = this.columns.get(c.key);
    if (!col) return (slot) => payloadMatches(this.payloads[slot] ?? {}, { must: [c] });
    if (col.type === 'keyword') {
      const codes = col.codes;
      if ('range' in c) return () => false;
      const wanted = ('match' in c ? [c.match] : c.any).filter((v): v is string => typeof v === 'string').map((v) => col.dict.get(v)).filter((x): x is number => x !== undefined);
      if (wanted.length === 0) return () => false;
      if (wanted.length === 1) {
        const code = wanted[0]!;
        return (slot) => codes[slot] === code;
      }
      const set = new Set(wanted);
      return (slot) => set.has(codes[slot]!);
    }
    const values = col.values;
    if ('range' in c) {
      const r = c.range;
      return (slot) => {
        const v = values[slot]!;
        return v === v && inRange(v, r);
      };
    }
    const wanted = new Set(('match' in c ? [c.match] : c.any).filter((v): v is number => typeof v === 'number'));
    return (slot) => wanted.has(values[slot]!);
  }
}

function newGraph(dims: number): Index {
  // int8 needs enough dimensions to spread the error; short vectors keep full precision
  const quantization = dims >= 64 ? ScalarKind.I8 : ScalarKind.F32;
  return new Index({ dimensions: dims, metric: MetricKind.Cos, quantization, multi: false, ...HNSW });
}

export function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm === 0 || Math.abs(norm - 1) < 1e-6) return v;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
  return out;
}
