import type { Schemas } from '@qdrant/js-client-rest';
import { EmbeddedCollection } from '../../lib/vector/embedded-collection';
import type { Condition, PayloadFieldType, Range, VectorFilter, VectorHit, VectorPayload } from '../../lib/vector/vector-index.contract';

// The Qdrant stand-in's search structures: what a real Qdrant segment has (an HNSW graph and
// payload indexes, filters planned against them), borrowed from the embedded index. The stand-in
// keeps its points in plain objects for everything else; a search goes through the segment when
// its filter has a one-to-one meaning in the embedded index's filter language and every stored
// payload is flat (Qdrant matches any element of an array value, the embedded columns do not),
// and otherwise through the stand-in's own exact scan.

const INDEXED: ReadonlySet<string> = new Set<PayloadFieldType>(['keyword', 'integer', 'float']);

export class QdrantSegment {
  private collection: EmbeddedCollection;
  private indexes: Record<string, PayloadFieldType> = {};
  /** False once a payload holds an array or object: array semantics are the exact scan's. */
  private flat = true;

  constructor(private readonly dims: number) {
    this.collection = new EmbeddedCollection({ dims, indexes: {} });
  }

  /** A payload index was created: rebuild the columns (and the graph) with it. */
  addIndex(field: string, type: Schemas['PayloadSchemaType']): void {
    if (!INDEXED.has(type) || field.includes('.')) return;
    this.indexes = { ...this.indexes, [field]: type as PayloadFieldType };
    this.collection = EmbeddedCollection.restore({ ...this.collection.snapshot(), spec: { dims: this.dims, indexes: this.indexes } });
  }

  upsert(points: ReadonlyArray<{ key: string; vector: Float32Array; payload: Record<string, unknown> }>): void {
    for (const p of points) if (this.flat && Object.values(p.payload).some((v) => v !== null && typeof v === 'object')) this.flat = false;
    this.collection.upsert(points.map((p) => ({ id: p.key, vector: p.vector, payload: p.payload as VectorPayload })));
  }

  delete(keys: readonly string[]): void {
    this.collection.deleteIds(keys);
  }

  /** The nearest `limit` point keys and scores passing `filter`, or null when the segment cannot answer it exactly as Qdrant would. */
  search(q: Float32Array, limit: number, filter: Record<string, unknown> | undefined): Array<Pick<VectorHit, 'id' | 'score'>> | null {
    if (!this.flat) return null;
    const f = filter ? this.translate(filter) : undefined;
    if (f === null) return null;
    return this.collection.search(q, limit, f);
  }

  private translate(f: Record<string, unknown>): VectorFilter | null {
    const out: { must?: Condition[]; should?: Condition[]; mustNot?: Condition[] } = {};
    for (const [from, to] of [['must', 'must'], ['should', 'should'], ['must_not', 'mustNot']] as const) {
      const raw = f[from];
      if (raw === undefined || raw === null) continue;
      const conditions: Condition[] = [];
      for (const c of Array.isArray(raw) ? raw : [raw]) {
        const t = this.condition(c);
        if (!t) return null;
        conditions.push(t);
      }
      out[to] = conditions;
    }
    return out;
  }

  private condition(c: unknown): Condition | null {
    if (!c || typeof c !== 'object') return null;
    const cond = c as Record<string, unknown>;
    if ('must' in cond || 'should' in cond || 'must_not' in cond) {
      const nested = this.translate(cond);
      return nested && { filter: nested };
    }
    const key = cond.key;
    if (typeof key !== 'string' || key.includes('.')) return null;
    const type = this.indexes[key];
    // a keyword column holds strings and a numeric column numbers: other values go to the exact scan
    const fits = (v: unknown) => (type === undefined ? typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' : type === 'keyword' ? typeof v === 'string' : typeof v === 'number');
    const match = cond.match as Record<string, unknown> | undefined;
    if (match && 'value' in match) return fits(match.value) ? { key, match: match.value as string | number | boolean } : null;
    if (match && Array.isArray(match.any)) return match.any.every((v) => fits(v) && typeof v !== 'boolean') ? { key, any: match.any as Array<string | number> } : null;
    const range = cond.range as Record<string, unknown> | undefined;
    if (!match && range && type !== 'keyword') {
      const r: Range = {};
      for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
        const v = range[op];
        if (typeof v === 'number') r[op] = v;
        else if (v !== undefined && v !== null) return null;
      }
      return { key, range: r };
    }
    return null;
  }
}
