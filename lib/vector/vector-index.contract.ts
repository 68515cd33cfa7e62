// One vector index contract, two implementations: the embedded index (usearch, persisted under
// .data/vector/, the default) and Qdrant (QDRANT_URL). Filters are structured conditions that
// map one-to-one onto Qdrant's filter language, so the Qdrant adapter pushes them down unchanged
// in meaning and the embedded index evaluates them over its payload columns.

export type PayloadValue = string | number | boolean | null;
export type VectorPayload = Readonly<Record<string, PayloadValue>>;

/** keyword: exact string match; integer / float: ranges. Mirrors Qdrant's payload schema types. */
export type PayloadFieldType = 'keyword' | 'integer' | 'float';

export interface CollectionSpec {
  dims: number;
  /** Fields filtered on often: Qdrant builds payload indexes, the embedded index keeps columns. */
  indexes: Readonly<Record<string, PayloadFieldType>>;
}

export interface Range {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export type Condition =
  | { key: string; match: string | number | boolean }
  | { key: string; any: ReadonlyArray<string | number> }
  | { key: string; range: Range }
  /** A nested filter: lets one condition say "any of these groups" (price bands per currency). */
  | { filter: VectorFilter };

export interface VectorFilter {
  /** every condition holds */
  must?: readonly Condition[];
  /** at least one holds (when given) */
  should?: readonly Condition[];
  /** none holds */
  mustNot?: readonly Condition[];
}

export interface VectorPoint {
  /** The caller's id (a unit id such as "U0001"); adapters map it to what their store needs. */
  id: string;
  vector: Float32Array | readonly number[];
  payload: VectorPayload;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity, higher is closer (1 = same direction). */
  score: number;
  payload: VectorPayload;
}

export interface VectorIndex {
  /** 'embedded' or 'qdrant': shown in logs and the bench. */
  readonly kind: 'embedded' | 'qdrant';
  /** Creates the collection (cosine) and its payload indexes if missing; fails if it exists with other dims. */
  ensureCollection(name: string, spec: CollectionSpec): Promise<void>;
  /** Inserts or replaces points by id; large inputs are written in batches. */
  upsert(name: string, points: readonly VectorPoint[]): Promise<void>;
  deleteByIds(name: string, ids: readonly string[]): Promise<void>;
  deleteByFilter(name: string, filter: VectorFilter): Promise<void>;
  /** The `limit` nearest points that pass `filter`, closest first. */
  search(name: string, vector: Float32Array | readonly number[], opts?: { filter?: VectorFilter; limit?: number }): Promise<VectorHit[]>;
  count(name: string, filter?: VectorFilter): Promise<number>;
  close(): Promise<void>;
}

export class VectorIndexError extends Error {
  override name = 'VectorIndexError';
}

/** Reference semantics of a filter over one payload (used by the embedded index's slow path and tests). */
export function payloadMatches(payload: VectorPayload, filter: VectorFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.must && !filter.must.every((c) => conditionHolds(payload, c))) return false;
  if (filter.should && filter.should.length > 0 && !filter.should.some((c) => conditionHolds(payload, c))) return false;
  if (filter.mustNot && filter.mustNot.some((c) => conditionHolds(payload, c))) return false;
  return true;
}

export function conditionHolds(payload: VectorPayload, c: Condition): boolean {
  if ('filter' in c) return payloadMatches(payload, c.filter);
  const v = payload[c.key];
  if ('match' in c) return v === c.match;
  if ('any' in c) return v !== null && v !== undefined && typeof v !== 'boolean' && c.any.includes(v);
  return typeof v === 'number' && inRange(v, c.range);
}

export function inRange(v: number, r: Range): boolean {
  return (r.gt === undefined || v > r.gt) && (r.gte === undefined || v >= r.gte) && (r.lt === undefined || v < r.lt) && (r.lte === undefined || v <= r.lte);
}

export function toFloat32(v: Float32Array | readonly number[]): Float32Array {
  return v instanceof Float32Array ? v : Float32Array.from(v);
}
