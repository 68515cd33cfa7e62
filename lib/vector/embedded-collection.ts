import { Index, MetricKind, ScalarKind } from 'usearch';
import { PayloadColumns } from './payload-columns.index';
import { hasSlot, type SlotBits, slotsOf } from './slot.bitset';
import type { CollectionSpec, VectorFilter, VectorHit, VectorPayload } from './vector-index.contract';
import { normalise, VectorSlots } from './vector-slots.store';

// One collection of the embedded index in memory: vectors (./vector-slots.store.ts), payloads
// with their indexed columns (./payload-columns.index.ts), and a usearch HNSW graph keyed by slot.
// usearch has no filtered search, so search plans like Qdrant does: the filter is first evaluated
// exactly into the set of slots it leaves (bitsets over the payload indexes, microseconds for
// keyword filters); few survivors are scored exactly, many are found in the graph, over-fetched by
// the filter's selectivity and kept when they are in the set, falling back to the exact scan when
// the graph cannot serve the filter.

/** At or below this many passing points an exact scan (1.5M multiply-adds at 384 dims, about a
 *  millisecond or two) is cheaper than asking the graph for enough neighbours that `limit` of
 *  them pass the filter. Above it the scan grows linearly (16k points cost 8 ms and more). */
const EXACT_MAX = 4096;
/** The largest over-fetch asked of the graph before giving up on it for the exact scan. A
 *  correlated filter (the nearest units are all in another city) needs deep searches; they still
 *  cost less than scoring tens of thousands of matching points exactly (bench/vector.bench.ts). */
const MAX_FETCH = 4096;
// The graph holds int8-quantised copies (a quarter of the memory, several times faster to build);
// its candidates are re-scored exactly against the float32 vectors, so scores and order are exact
// and only recall depends on the graph.
const HNSW = { connectivity: 16, expansion_add: 64, expansion_search: 96 };
/** A graph search for k neighbours costs about as much as scoring this many times k points
 *  exactly (measured at 100k points, 384 dims: k = 4096 takes ~12 ms, the scan of 4096 points ~2). */
const GRAPH_COST = 6;

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
  private readonly vectors: VectorSlots;
  private readonly columns: PayloadColumns;
  private readonly slotOf = new Map<string, number>();
  private free: number[] = [];
  private graph: Index;
  /** Scratch list of candidate slots, reused by every search. */
  private readonly scratch = { slots: new Int32Array(1024) };

  constructor(spec: CollectionSpec, initialCapacity = 1024) {
    this.spec = spec;
    this.dims = spec.dims;
    this.vectors = new VectorSlots(spec.dims, initialCapacity);
    this.columns = new PayloadColumns(spec.indexes, initialCapacity, (slot) => this.payloads[slot] ?? null);
    this.graph = newGraph(spec.dims);
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
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
        if (slot >= this.vectors.capacity) this.grow(Math.max(slot + 1, this.vectors.capacity * 2));
        this.slotOf.set(p.id, slot);
      }
      this.ids[slot] = p.id;
      this.payloads[slot] = { ...p.payload };
      this.vectors.write(slot, p.vector);
      this.columns.write(slot, p.payload);
      newKeys.push(slot);
    }
    this.addToGraph(newKeys);
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
      this.columns.write(slot, null);
      this.free.push(slot);
      n++;
    }
    return n;
  }

  idsMatching(filter: VectorFilter): string[] {
    const n = slotsOf(this.columns.match(filter), this.scratch);
    return Array.from(this.scratch.slots.subarray(0, n), (slot) => this.ids[slot]!);
  }

  count(filter?: VectorFilter): number {
    return filter ? this.columns.count(this.columns.match(filter)) : this.size;
  }

  search(query: Float32Array, limit: number, filter?: VectorFilter): VectorHit[] {
    if (query.length !== this.dims) throw new RangeError(`query has ${query.length} dimensions, the collection ${this.dims}`);
    if (limit <= 0 || this.size === 0) return [];
    const q = normalise(query);
    const passing = filter ? this.columns.match(filter) : this.columns.live;
    const matches = filter ? this.columns.count(passing) : this.size;
    if (matches === 0) return [];
    if (matches > EXACT_MAX) {
      const hits = this.fromGraph(q, limit, matches, passing);
      if (hits) return hits;
    }
    // few points pass, or the graph could not serve the filter (it correlates with the query:
    // the nearest units are all in another city): score every passing point
    return this.exact(q, limit, slotsOf(passing, this.scratch));
  }

  /** The graph's nearest points in `passing`, over-fetched by the inverse selectivity and widened
   *  while a wider search still costs less than scoring every passing point; null when it cannot
   *  find `limit` (the caller scans). */
  private fromGraph(q: Float32Array, limit: number, matches: number, passing: SlotBits): VectorHit[] | null {
    const want = Math.min(limit, matches);
    const first = Math.ceil((limit * this.size) / matches) * 2 + 16;
    for (let fetch = first; ; fetch *= 4) {
      if (fetch > first && fetch * GRAPH_COST > matches) return null;
      const k = Math.min(this.size, Math.max(limit * 3, Math.min(fetch, MAX_FETCH)));
      const found = this.graph.search(q, k, 1);
      if (this.scratch.slots.length < found.keys.length) this.scratch.slots = new Int32Array(found.keys.length);
      const slots = this.scratch.slots;
      let n = 0;
      for (let i = 0; i < found.keys.length; i++) {
        const slot = Number(found.keys[i]);
        if (hasSlot(passing, slot)) slots[n++] = slot;
      }
      if (n >= want) return this.exact(q, limit, n);
      if (fetch >= MAX_FETCH || k >= this.size) return null;
    }
  }

  private exact(q: Float32Array, limit: number, n: number): VectorHit[] {
    return this.vectors.top(q, limit, this.scratch.slots, n).map(({ slot, score }) => ({ id: this.ids[slot]!, score, payload: this.payloads[slot]! }));
  }

  snapshot(): CollectionSnapshot {
    return { spec: this.spec, ids: this.ids.slice(), payloads: this.payloads.slice(), vectors: this.vectors.head(this.ids.length) };
  }

  saveGraph(file: string): void {
    this.graph.save(file);
  }

  /** Rebuilds from a snapshot; the graph is loaded from `graphFile` when given, else rebuilt. */
  static restore(s: CollectionSnapshot, graphFile?: string): EmbeddedCollection {
    const c = new EmbeddedCollection(s.spec, Math.max(1024, s.ids.length));
    c.ids = s.ids.slice();
    c.payloads = s.payloads.slice();
    const live: number[] = [];
    s.ids.forEach((id, slot) => {
      if (id === null) c.free.push(slot);
      else {
        c.slotOf.set(id, slot);
        c.vectors.write(slot, s.vectors.subarray(slot * c.dims, (slot + 1) * c.dims));
        c.columns.write(slot, s.payloads[slot] ?? {});
        live.push(slot);
      }
    });
    if (graphFile) c.graph.load(graphFile);
    else c.addToGraph(live);
    return c;
  }

  private addToGraph(slots: number[]): void {
    if (slots.length === 0) return;
    this.graph.add(BigUint64Array.from(slots, (k) => BigInt(k)), this.vectors.gather(slots), 0);
  }

  private grow(slots: number): void {
    this.vectors.grow(slots);
    this.columns.grow(slots);
  }
}

function newGraph(dims: number): Index {
  // int8 needs enough dimensions to spread the error; short vectors keep full precision
  const quantization = dims >= 64 ? ScalarKind.I8 : ScalarKind.F32;
  return new Index({ dimensions: dims, metric: MetricKind.Cos, quantization, multi: false, ...HNSW });
}
