import { createHash } from 'node:crypto';
import { QdrantClient, type Schemas } from '@qdrant/js-client-rest';
import { type CollectionSpec, type Condition, toFloat32, type VectorFilter, type VectorIndex, VectorIndexError, type VectorPayload } from './vector-index.contract';

// The vector index on a Qdrant server (QDRANT_URL). Qdrant point ids must be unsigned integers
// or UUIDs, so each caller id becomes a name-based UUID (v5 layout over SHA-1) and travels in the
// payload as `_id`. Filters translate one-to-one into Qdrant's filter language and run on the
// server against the payload indexes created with the collection.

export interface QdrantVectorIndexOptions {
  url: string;
  apiKey?: string;
  /** Points per upsert request: large uploads go in several requests. */
  batchSize?: number;
  timeoutMs?: number;
}

const ID_KEY = '_id';
const NAMESPACE = 'leadline-vector:';

export function pointUuid(id: string): string {
  const h = createHash('sha1').update(NAMESPACE + id).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export function toQdrantFilter(filter: VectorFilter): Schemas['Filter'] {
  const out: Schemas['Filter'] = {};
  if (filter.must?.length) out.must = filter.must.map(toQdrantCondition);
  if (filter.should?.length) out.should = filter.should.map(toQdrantCondition);
  if (filter.mustNot?.length) out.must_not = filter.mustNot.map(toQdrantCondition);
  return out;
}

function toQdrantCondition(c: Condition): Schemas['Condition'] {
  if ('filter' in c) return toQdrantFilter(c.filter);
  if ('match' in c) return { key: c.key, match: { value: c.match } };
  if ('any' in c) {
    const values = [...c.any];
    // Qdrant's MatchAny takes all strings or all integers
    return { key: c.key, match: { any: values.every((v) => typeof v === 'string') ? (values as string[]) : (values as number[]) } };
  }
  return { key: c.key, range: { ...c.range } };
}

function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'data' in err) {
    const data = (err as { data?: { status?: { error?: string } } }).data;
    if (data?.status?.error) return data.status.error;
  }
  return err instanceof Error ? err.message : String(err);
}

export function createQdrantVectorIndex(opts: QdrantVectorIndexOptions): VectorIndex {
  const client = new QdrantClient({ url: opts.url, ...(opts.apiKey && { apiKey: opts.apiKey }), timeout: opts.timeoutMs ?? 30_000, checkCompatibility: false });
  const batchSize = opts.batchSize ?? 256;

  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw new VectorIndexError(`qdrant ${what}: ${describe(err)}`);
    }
  };

  return {
    kind: 'qdrant',
    async ensureCollection(name: string, spec: CollectionSpec) {
      const { exists } = await call('collection exists', () => client.collectionExists(name));
      if (exists) {
        const info = await call('get collection', () => client.getCollection(name));
        const vectors = info.config.params.vectors;
        const size = vectors && 'size' in vectors ? vectors.size : undefined;
        if (size !== undefined && size !== spec.dims) throw new VectorIndexError(`vector collection "${name}" has ${String(size)} dimensions, not ${spec.dims}`);
        for (const [field, type] of Object.entries(spec.indexes)) {
          if (info.payload_schema[field]?.data_type !== type) await call('create payload index', () => client.createPayloadIndex(name, { field_name: field, field_schema: type, wait: true }));
        }
        return;
      }
      await call('create collection', () => client.createCollection(name, { vectors: { size: spec.dims, distance: 'Cosine' } }));
      for (const [field, type] of Object.entries(spec.indexes)) {
        await call('create payload index', () => client.createPayloadIndex(name, { field_name: field, field_schema: type, wait: true }));
      }
    },
    async upsert(name, points) {
      for (let i = 0; i < points.length; i += batchSize) {
        const batch = points.slice(i, i + batchSize).map((p) => ({
          id: pointUuid(p.id),
          vector: Array.from(toFloat32(p.vector)),
          payload: { ...p.payload, [ID_KEY]: p.id },
        }));
        await call('upsert', () => client.upsert(name, { wait: true, points: batch }));
      }
    },
    async deleteByIds(name, ids) {
      for (let i = 0; i < ids.length; i += batchSize) {
        const points = ids.slice(i, i + batchSize).map(pointUuid);
        await call('delete', () => client.delete(name, { wait: true, points }));
      }
    },
    async deleteByFilter(name, filter) {
      await call('delete', () => client.delete(name, { wait: true, filter: toQdrantFilter(filter) }));
    },
    async search(name, vector, o = {}) {
      const res = await call('query', () =>
        client.query(name, {
          query: Array.from(toFloat32(vector)),
          limit: o.limit ?? 10,
          with_payload: true,
          ...(o.filter && { filter: toQdrantFilter(o.filter) }),
        }),
      );
      return res.points.map((p) => {
        const { [ID_KEY]: id, ...payload } = (p.payload ?? {}) as Record<string, unknown>;
        return { id: typeof id === 'string' ? id : String(p.id), score: p.score, payload: payload as VectorPayload };
      });
    },
    async count(name, filter) {
      const res = await call('count', () => client.count(name, { exact: true, ...(filter && { filter: toQdrantFilter(filter) }) }));
      return res.count;
    },
    async close() {},
  };
}
