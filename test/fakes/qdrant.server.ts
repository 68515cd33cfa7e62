import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Schemas } from '@qdrant/js-client-rest';
import { QdrantSegment } from './qdrant-segment.index';

// A local stand-in for a Qdrant server speaking the REST subset the vector index adapter uses,
// with the request and response shapes of Qdrant's published OpenAPI document (typed here with
// the schema types that ship in @qdrant/js-client-rest): collections create / get / exists /
// delete, payload index create, points upsert (PUT /collections/{name}/points), retrieve,
// delete (by ids or filter), count, search and query. Filters follow Qdrant's semantics (must /
// should / must_not, nested filters, match value / any / except, range, has_id). Search goes, as
// in Qdrant, through an HNSW graph planned with the payload indexes (./qdrant-segment.index.ts),
// or an exact cosine scan for what those cannot express. Requests are recorded for the tests.

export interface RecordedQdrantRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeQdrantServer {
  url: string;
  requests: RecordedQdrantRequest[];
  close(): Promise<void>;
}

type PointId = string | number;
interface StoredPoint {
  id: PointId;
  vector: Float32Array;
  payload: Record<string, unknown>;
  version: number;
}
interface Collection {
  size: number;
  distance: Schemas['Distance'];
  points: Map<string, StoredPoint>;
  payloadSchema: Record<string, Schemas['PayloadSchemaType']>;
  /** HNSW graph and payload indexes over the same points, as a real Qdrant searches. */
  segment: QdrantSegment;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pointKey(id: unknown): string {
  if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return `n:${id}`;
  if (typeof id === 'string' && UUID.test(id)) return `u:${id.toLowerCase()}`;
  throw new HttpError(400, `Format error in JSON body: value ${JSON.stringify(id)} is not a valid point ID, valid values are either an unsigned integer or a UUID`);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function toUnit(v: unknown, dims: number): Float32Array {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new HttpError(400, 'Format error in JSON body: expected a dense vector');
  if (v.length !== dims) throw new HttpError(400, `Wrong input: Vector dimension error: expected dim: ${dims}, got ${v.length}`);
  const out = Float32Array.from(v as number[]);
  let n = 0;
  for (const x of out) n += x * x;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < out.length; i++) out[i]! /= n;
  return out;
}

// ---- filters, as Qdrant evaluates them

function values(payload: Record<string, unknown>, key: string): unknown[] {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), payload);
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function conditionHolds(p: StoredPoint, c: unknown): boolean {
  if (!c || typeof c !== 'object') throw new HttpError(400, 'Format error in JSON body: invalid condition');
  const cond = c as Record<string, unknown>;
  if ('must' in cond || 'should' in cond || 'must_not' in cond) return filterHolds(p, cond);
  if ('has_id' in cond) return (cond.has_id as unknown[]).some((id) => pointKey(id) === pointKey(p.id));
  if (typeof cond.key !== 'string') throw new HttpError(400, 'Format error in JSON body: unsupported condition');
  const vs = values(p.payload, cond.key);
  if (cond.match && typeof cond.match === 'object') {
    const m = cond.match as Record<string, unknown>;
    if ('value' in m) return vs.some((v) => v === m.value);
    if ('any' in m) return vs.some((v) => (m.any as unknown[]).includes(v));
    if ('except' in m) return vs.length === 0 || vs.some((v) => !(m.except as unknown[]).includes(v));
    throw new HttpError(400, 'Format error in JSON body: unsupported match');
  }
  if (cond.range && typeof cond.range === 'object') {
    const r = cond.range as Schemas['Range'];
    return vs.some((v) => typeof v === 'number' && (r.gt == null || v > r.gt) && (r.gte == null || v >= r.gte) && (r.lt == null || v < r.lt) && (r.lte == null || v <= r.lte));
  }
  throw new HttpError(400, 'Format error in JSON body: unsupported condition');
}

function asList(x: unknown): unknown[] {
  if (x === undefined || x === null) return [];
  return Array.isArray(x) ? x : [x];
}

function filterHolds(p: StoredPoint, f: Record<string, unknown> | undefined | null): boolean {
  if (!f) return true;
  if (!asList(f.must).every((c) => conditionHolds(p, c))) return false;
  const should = asList(f.should);
  if (should.length > 0 && !should.some((c) => conditionHolds(p, c))) return false;
  return !asList(f.must_not).some((c) => conditionHolds(p, c));
}

/** The exact nearest `k` passing points: a bounded top list, not a sort of every passing point
 *  (equal scores keep scan order, as the stable sort it replaces did). */
function scan(c: Collection, q: Float32Array, k: number, threshold: number, filter: Record<string, unknown> | undefined): Array<{ p: StoredPoint; score: number }> {
  const top: StoredPoint[] = [];
  const scores: number[] = [];
  for (const p of c.points.values()) {
    if (!filterHolds(p, filter)) continue;
    let s = 0;
    for (let i = 0; i < q.length; i++) s += q[i]! * p.vector[i]!;
    if (s < threshold || (top.length === k && s <= scores[k - 1]!)) continue;
    let at = scores.length;
    while (at > 0 && scores[at - 1]! < s) at--;
    scores.splice(at, 0, s);
    top.splice(at, 0, p);
    if (top.length > k) {
      top.pop();
      scores.pop();
    }
  }
  return top.map((p, i) => ({ p, score: scores[i]! }));
}

// ---- the server

export interface FakeQdrantServerOptions {
  /** Record request bodies (default true); the benchmark turns it off to keep memory flat. */
  record?: boolean;
}

export async function startFakeQdrantServer(opts: FakeQdrantServerOptions = {}): Promise<FakeQdrantServer> {
  const requests: RecordedQdrantRequest[] = [];
  const collections = new Map<string, Collection>();
  let operationId = 0;
  let version = 0;

  const get = (name: string): Collection => {
    const c = collections.get(name);
    if (!c) throw new HttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
    return c;
  };
  const completed = (): Schemas['UpdateResult'] => ({ operation_id: ++operationId, status: 'completed' });
  const payloadOut = (p: StoredPoint, withPayload: unknown) => (withPayload === false ? null : p.payload);

  function info(c: Collection): Schemas['CollectionInfo'] {
    const payload_schema: Schemas['CollectionInfo']['payload_schema'] = {};
    for (const [k, t] of Object.entries(c.payloadSchema)) {
      payload_schema[k] = { data_type: t, points: [...c.points.values()].filter((p) => values(p.payload, k).length > 0).length };
    }
    return {
      status: 'green',
      optimizer_status: 'ok',
      indexed_vectors_count: 0,
      points_count: c.points.size,
      segments_count: 1,
      config: {
        params: { vectors: { size: c.size, distance: c.distance }, shard_number: 1, replication_factor: 1, write_consistency_factor: 1, on_disk_payload: true },
        hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
        optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, max_segment_size: null, memmap_threshold: null, indexing_threshold: 20000, flush_interval_sec: 5, max_optimization_threads: null },
        wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
        quantization_config: null,
      },
      payload_schema,
    };
  }

  function nearest(c: Collection, body: Record<string, unknown>, vector: unknown): Schemas['ScoredPoint'][] {
    const q = toUnit(vector, c.size);
    const limit = typeof body.limit === 'number' ? body.limit : 10;
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    const threshold = typeof body.score_threshold === 'number' ? body.score_threshold : -Infinity;
    const filter = body.filter as Record<string, unknown> | undefined;
    const k = Math.max(0, offset + limit);
    // the graph and payload indexes when the segment can answer the filter, else the exact scan
    const found = c.segment.search(q, k, filter);
    const scored = found ? found.flatMap((h) => (h.score >= threshold ? [{ p: c.points.get(h.id)!, score: h.score }] : [])) : scan(c, q, k, threshold, filter);
    return scored.slice(offset, offset + limit).map(({ p, score }) => ({
      id: p.id,
      version: p.version,
      score,
      payload: payloadOut(p, body.with_payload),
      vector: body.with_vector === true ? Array.from(p.vector) : null,
    }));
  }

  async function route(method: string, path: string, body: Record<string, unknown>): Promise<unknown> {
    if (method === 'GET' && path === '/') return { title: 'qdrant - vector search engine', version: '1.19.0', commit: null };
    const m = /^\/collections\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) throw new HttpError(404, `Not found: ${path}`);
    const name = decodeURIComponent(m[1]!);
    const rest = m[2] ?? '';
    if (rest === '' && method === 'PUT') {
      if (collections.has(name)) throw new HttpError(400, `Wrong input: Collection \`${name}\` already exists!`);
      const v = body.vectors as { size?: unknown; distance?: unknown } | undefined;
      if (!v || typeof v.size !== 'number' || !['Cosine', 'Dot', 'Euclid', 'Manhattan'].includes(String(v.distance))) throw new HttpError(400, 'Format error in JSON body: vectors.size and vectors.distance are required');
      if (v.distance !== 'Cosine') throw new HttpError(400, 'this stand-in implements the Cosine distance only');
      collections.set(name, { size: v.size, distance: 'Cosine', points: new Map(), payloadSchema: {}, segment: new QdrantSegment(v.size) });
      return true;
    }
    if (rest === '' && method === 'GET') return info(get(name));
    if (rest === '' && method === 'DELETE') return collections.delete(name);
    if (rest === '/exists' && method === 'GET') return { exists: collections.has(name) };
    const c = get(name);
    if (rest === '/index' && method === 'PUT') {
      const type = body.field_schema;
      if (typeof body.field_name !== 'string' || !['keyword', 'integer', 'float', 'bool', 'geo', 'text', 'datetime', 'uuid'].includes(String(type))) throw new HttpError(400, 'Format error in JSON body: field_name and field_schema are required');
      c.payloadSchema[body.field_name] = type as Schemas['PayloadSchemaType'];
      c.segment.addIndex(body.field_name, type as Schemas['PayloadSchemaType']);
      return completed();
    }
    if (rest === '/points' && method === 'PUT') {
      const batch = body.batch as { ids: unknown[]; vectors: unknown[]; payloads?: unknown[] } | undefined;
      const points = batch ? batch.ids.map((id, i) => ({ id, vector: batch.vectors[i], payload: batch.payloads?.[i] })) : asList(body.points) as Array<Record<string, unknown>>;
      // validate everything before writing anything: a bad batch changes nothing
      const parsed = points.map((p) => ({ key: pointKey(p.id), id: p.id as PointId, vector: toUnit(p.vector, c.size), payload: (p.payload ?? {}) as Record<string, unknown> }));
      for (const p of parsed) c.points.set(p.key, { id: p.id, vector: p.vector, payload: p.payload, version: ++version });
      c.segment.upsert(parsed);
      return completed();
    }
    if (rest === '/points' && method === 'POST') {
      return asList(body.ids).flatMap((id) => {
        const p = c.points.get(pointKey(id));
        return p ? [{ id: p.id, payload: payloadOut(p, body.with_payload), vector: body.with_vector === true ? Array.from(p.vector) : null }] : [];
      });
    }
    if (rest === '/points/delete' && method === 'POST') {
      let keys: string[];
      if (Array.isArray(body.points)) keys = body.points.map(pointKey);
      else if (body.filter) keys = [...c.points].filter(([, p]) => filterHolds(p, body.filter as Record<string, unknown>)).map(([k]) => k);
      else throw new HttpError(400, 'Format error in JSON body: points or filter is required');
      for (const k of keys) c.points.delete(k);
      c.segment.delete(keys);
      return completed();
    }
    if (rest === '/points/count' && method === 'POST') {
      let count = 0;
      for (const p of c.points.values()) if (filterHolds(p, body.filter as Record<string, unknown> | undefined)) count++;
      return { count };
    }
    if (rest === '/points/search' && method === 'POST') return nearest(c, body, body.vector);
    if (rest === '/points/query' && method === 'POST') {
      const q = body.query as unknown;
      const vector = q && typeof q === 'object' && !Array.isArray(q) && 'nearest' in q ? (q as { nearest: unknown }).nearest : q;
      return { points: nearest(c, body, vector) };
    }
    throw new HttpError(404, `Not found: ${method} ${path}`);
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    void (async () => {
      const raw = await readBody(req);
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        throw new HttpError(400, 'Format error in JSON body: invalid JSON');
      }
      if (opts.record !== false) requests.push({ method: req.method ?? 'GET', path, body });
      const result = await route(req.method ?? 'GET', path, body);
      send(res, 200, { result, status: 'ok', time: (performance.now() - started) / 1000 });
    })().catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      send(res, status, { status: { error: err instanceof Error ? err.message : String(err) }, time: (performance.now() - started) / 1000 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
