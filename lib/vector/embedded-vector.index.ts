import { mkdir, open, readFile, rename, rm, stat, writeFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { EmbeddedCollection } from './embedded-collection';
import { type CollectionSpec, toFloat32, type VectorIndex, VectorIndexError, type VectorPayload } from './vector-index.contract';

// The default vector index: no server, persisted under a directory (.data/vector/ in the app).
// The API and the worker are separate processes sharing the files, so every read checks the
// manifest's identity (a write replaces it by rename) and reloads when another process wrote;
// writes hold a lock file, reload, apply and save a new generation of files, then swap the
// manifest. The previous generation stays on disk so a reader mid-load never sees a hole.

export interface EmbeddedVectorIndexOptions {
  /** Where collections live; without it the index is in memory only (bench, unit tests). */
  dir?: string;
  /** How long a writer waits for another process's lock before failing. */
  lockTimeoutMs?: number;
}

const Manifest = z.object({
  format: z.literal(1),
  generation: z.number().int().min(0),
  spec: z.object({ dims: z.number().int().positive(), indexes: z.record(z.string(), z.enum(['keyword', 'integer', 'float'])) }),
});
type Manifest = z.infer<typeof Manifest>;
const Points = z.array(z.tuple([z.string(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))]).nullable());

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
const STALE_LOCK_MS = 120_000;

export function createEmbeddedVectorIndex(opts: EmbeddedVectorIndexOptions = {}): VectorIndex {
  const loaded = new Map<string, { collection: EmbeddedCollection; stamp: string; generation: number }>();
  const queues = new Map<string, Promise<unknown>>();
  const dir = opts.dir;

  const folder = (name: string) => {
    if (!NAME.test(name)) throw new VectorIndexError(`invalid collection name "${name}"`);
    return path.join(dir!, name);
  };
  const manifestFile = (name: string) => path.join(folder(name), 'manifest.json');

  async function stampOf(name: string): Promise<string | null> {
    const st = await stat(manifestFile(name)).catch(() => null);
    return st ? `${st.ino}:${st.mtimeMs}:${st.size}` : null;
  }

  async function load(name: string): Promise<EmbeddedCollection | undefined> {
    if (!dir) return loaded.get(name)?.collection;
    for (let attempt = 0; ; attempt++) {
      const stamp = await stampOf(name);
      if (stamp === null) {
        loaded.delete(name);
        return undefined;
      }
      const cached = loaded.get(name);
      if (cached?.stamp === stamp) return cached.collection;
      try {
        const m = Manifest.parse(JSON.parse(await readFile(manifestFile(name), 'utf8')));
        const base = path.join(folder(name), `g${m.generation}`);
        const points = Points.parse(JSON.parse(await readFile(`${base}.points.json`, 'utf8')));
        const raw = await readFile(`${base}.vectors.bin`);
        const vectors = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
        const graph = `${base}.graph.usearch`;
        const hasGraph = await stat(graph).then(() => true, () => false);
        const collection = EmbeddedCollection.restore(
          { spec: m.spec, ids: points.map((p) => p?.[0] ?? null), payloads: points.map((p) => (p?.[1] as VectorPayload | undefined) ?? null), vectors },
          hasGraph ? graph : undefined,
        );
        loaded.set(name, { collection, stamp, generation: m.generation });
        return collection;
      } catch (err) {
        // a writer may have swapped generations between our reads: read the new manifest once more
        if (attempt >= 2) throw new VectorIndexError(`cannot load vector collection "${name}": ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  async function save(name: string, collection: EmbeddedCollection): Promise<void> {
    if (!dir) return;
    const generation = (loaded.get(name)?.generation ?? -1) + 1;
    const f = folder(name);
    await mkdir(f, { recursive: true });
    const base = path.join(f, `g${generation}`);
    const s = collection.snapshot();
    await writeFile(`${base}.points.json`, JSON.stringify(s.ids.map((id, i) => (id === null ? null : [id, s.payloads[i]]))));
    await writeFile(`${base}.vectors.bin`, new Uint8Array(s.vectors.buffer, s.vectors.byteOffset, s.vectors.byteLength));
    if (collection.size > 0) collection.saveGraph(`${base}.graph.usearch`);
    const manifest: Manifest = { format: 1, generation, spec: { dims: s.spec.dims, indexes: { ...s.spec.indexes } } };
    const tmp = `${manifestFile(name)}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(manifest));
    await rename(tmp, manifestFile(name));
    loaded.set(name, { collection, stamp: (await stampOf(name)) ?? '', generation });
    // keep this generation and the one before it (a reader may be loading it right now)
    for (const file of await readdir(f)) {
      const g = /^g(\d+)\./.exec(file);
      if (g && Number(g[1]) < generation - 1) await rm(path.join(f, file), { force: true });
    }
  }

  async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    // in-process writers queue up; across processes a lock file serialises them
    const prev = queues.get(name) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(async () => {
      if (!dir) return fn();
      await mkdir(dir, { recursive: true });
      const lock = path.join(dir, `${name}.lock`);
      const deadline = Date.now() + (opts.lockTimeoutMs ?? 30_000);
      for (;;) {
        try {
          const fh = await open(lock, 'wx');
          await fh.writeFile(String(process.pid));
          await fh.close();
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          const st = await stat(lock).catch(() => null);
          // a lock left by a killed process (same host: the files are local) is taken over
          const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
          if ((st && Date.now() - st.mtimeMs > STALE_LOCK_MS) || (owner > 0 && !alive(owner))) await rm(lock, { force: true });
          else if (Date.now() > deadline) throw new VectorIndexError(`vector collection "${name}" is locked by another process`);
          else await new Promise((r) => setTimeout(r, 25));
        }
      }
      try {
        return await fn();
      } finally {
        await rm(lock, { force: true });
      }
    });
    queues.set(name, run);
    return run;
  }

  async function existing(name: string): Promise<EmbeddedCollection> {
    const c = await load(name);
    if (!c) throw new VectorIndexError(`vector collection "${name}" does not exist`);
    return c;
  }

  async function write(name: string, fn: (c: EmbeddedCollection) => void): Promise<void> {
    await withLock(name, async () => {
      const c = await existing(name);
      fn(c);
      await save(name, c);
    });
  }

  return {
    kind: 'embedded',
    async ensureCollection(name: string, spec: CollectionSpec) {
      if (!dir && !NAME.test(name)) throw new VectorIndexError(`invalid collection name "${name}"`);
      await withLock(name, async () => {
        const c = await load(name);
        if (c && c.spec.dims !== spec.dims) throw new VectorIndexError(`vector collection "${name}" has ${c.spec.dims} dimensions, not ${spec.dims}`);
        const sameIndexes = c && Object.entries(spec.indexes).every(([k, t]) => c.spec.indexes[k] === t);
        if (c && sameIndexes) return;
        // new collection, or new indexed fields: rebuild the columns from the stored points
        const spec2: CollectionSpec = { dims: spec.dims, indexes: { ...c?.spec.indexes, ...spec.indexes } };
        const next = c ? EmbeddedCollection.restore({ ...c.snapshot(), spec: spec2 }) : new EmbeddedCollection(spec2);
        if (!dir) loaded.set(name, { collection: next, stamp: '', generation: 0 });
        await save(name, next);
      });
    },
    async upsert(name, points) {
      await write(name, (c) => c.upsert(points.map((p) => ({ id: p.id, vector: toFloat32(p.vector), payload: p.payload }))));
    },
    async deleteByIds(name, ids) {
      await write(name, (c) => void c.deleteIds(ids));
    },
    async deleteByFilter(name, filter) {
      await write(name, (c) => void c.deleteIds(c.idsMatching(filter)));
    },
    async search(name, vector, o = {}) {
      return (await existing(name)).search(toFloat32(vector), o.limit ?? 10, o.filter);
    },
    async count(name, filter) {
      return (await existing(name)).count(filter);
    },
    async close() {
      await Promise.allSettled(queues.values());
      loaded.clear();
    },
  };
}
