import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedCollection } from './embedded-collection';
import { appendLog, applyEntries, type LogEntry, readLog, upsertEntry } from './embedded-vector.log';
import { logFile, manifestStamp, readGeneration, withFileLock, writeGeneration } from './embedded-vector.store';
import { type CollectionSpec, toFloat32, type VectorIndex, VectorIndexError } from './vector-index.contract';

// The default vector index: no server, persisted under a directory (.data/vector/ in the app).
// The API and the worker are separate processes sharing the files (./embedded-vector.store.ts):
// a snapshot generation named by a manifest, and that generation's append-only change log
// (./embedded-vector.log.ts). A write holds a lock file, catches up with the files, applies its
// change in memory and appends one line to the log: it costs what it changes, not the collection
// (the worker writes memories after every turn). Once the log outgrows a share of the snapshot,
// the writer compacts: it saves a new generation with an empty log and swaps the manifest; the
// previous generation stays on disk so a reader mid-load never sees a hole. Every read checks the
// manifest's identity (reloading the snapshot and its log when another process compacted) and the
// log's size (applying only the lines appended since it last looked).

export interface EmbeddedVectorIndexOptions {
  /** Where collections live; without it the index is in memory only (bench, unit tests). */
  dir?: string;
  /** How long a writer waits for another process's lock before failing. */
  lockTimeoutMs?: number;
  /** A log is compacted once it holds more than this many bytes (default 4 MiB) ... */
  compactLogBytes?: number;
  /** ... and more than this fraction of its snapshot's bytes (default 0.5). Compaction rewrites the
   *  whole snapshot, so waiting for a share of it keeps the rewriting proportional to what was
   *  appended (a fixed size would rewrite a large collection every few megabytes), while a full
   *  load never replays more than that share. */
  compactLogRatio?: number;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

interface Cached {
  collection: EmbeddedCollection;
  /** The manifest's identity when loaded ('' in memory). */
  stamp: string;
  generation: number;
  /** Bytes of the generation's log applied: up to the end of its last complete line. */
  logEnd: number;
  snapshotBytes: number;
  /** This process holds the lock and has caught up: nobody else can write, the cache is the truth. */
  held: boolean;
}

/** A write: applies itself to the collection and returns the log line that replays it (null when nothing changed). */
type Change = (c: EmbeddedCollection) => LogEntry | null;
interface Waiter {
  change: Change;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function createEmbeddedVectorIndex(opts: EmbeddedVectorIndexOptions = {}): VectorIndex {
  const loaded = new Map<string, Cached>();
  /** Per collection: the last lock holder queued, the last refresh queued, the batch still taking writes. */
  const queues = new Map<string, Promise<unknown>>();
  const refreshes = new Map<string, Promise<unknown>>();
  const batches = new Map<string, Waiter[]>();
  const dir = opts.dir;
  const compactAt = (s: Cached) => Math.max(opts.compactLogBytes ?? 4 * 1024 * 1024, s.snapshotBytes * (opts.compactLogRatio ?? 0.5));

  const folder = (name: string) => {
    if (!NAME.test(name)) throw new VectorIndexError(`invalid collection name "${name}"`);
    return path.join(dir!, name);
  };

  /** The collection as the files have it now; `hold` (under the lock) marks the cache as the truth until released. */
  function load(name: string, hold = false): Promise<EmbeddedCollection | undefined> {
    if (!dir) return Promise.resolve(loaded.get(name)?.collection);
    // one refresh at a time per collection: two catching up on the same log would both apply it
    const run = (refreshes.get(name) ?? Promise.resolve()).catch(() => undefined).then(() => refresh(name, hold));
    refreshes.set(name, run);
    return run;
  }

  async function refresh(name: string, hold: boolean): Promise<EmbeddedCollection | undefined> {
    const f = folder(name);
    for (let attempt = 0; ; attempt++) {
      const cached = loaded.get(name);
      if (cached?.held) return cached.collection;
      const stamp = await manifestStamp(f);
      if (stamp === null) {
        loaded.delete(name);
        return undefined;
      }
      try {
        // same manifest: only the log's new lines; another one (a compaction): the snapshot and its log
        const state = cached?.stamp === stamp ? cached : { ...(await readGeneration(f)), stamp, logEnd: 0, held: false };
        const log = await readLog(logFile(f, state.generation), state.logEnd);
        if (log.size < state.logEnd) throw new VectorIndexError('its log is shorter than what was read from it');
        // a compaction between reading the manifest and the log: the log read may be a replaced generation's
        if (state !== cached && (await manifestStamp(f)) !== stamp) throw new VectorIndexError('a writer replaced it while it was read');
        applyEntries(state.collection, log.entries);
        state.logEnd = log.end;
        state.held = hold;
        loaded.set(name, state);
        return state.collection;
      } catch (err) {
        // the next attempt reads the snapshot afresh (lines may have been half applied)
        loaded.delete(name);
        if (attempt >= 2) throw new VectorIndexError(`cannot load vector collection "${name}": ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  function release(name: string): void {
    const s = loaded.get(name);
    if (s) s.held = false;
  }

  /** Compaction (and creation): `collection` becomes a new generation with an empty log. Under the lock. */
  async function save(name: string, collection: EmbeddedCollection): Promise<void> {
    const f = folder(name);
    const generation = (loaded.get(name)?.generation ?? -1) + 1;
    const snapshotBytes = await writeGeneration(f, generation, collection);
    loaded.set(name, { collection, stamp: (await manifestStamp(f)) ?? '', generation, logEnd: 0, snapshotBytes, held: true });
  }

  async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    // in-process writers queue up; across processes a lock file serialises them
    const prev = queues.get(name) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(async () => {
      if (!dir) return fn();
      await mkdir(dir, { recursive: true });
      return withFileLock(path.join(dir, `${name}.lock`), opts.lockTimeoutMs ?? 30_000, () => new VectorIndexError(`vector collection "${name}" is locked by another process`), fn);
    });
    queues.set(name, run);
    return run;
  }

  /** Applies a batch of writes under the lock with one append; each settles after its line is written. */
  async function commit(name: string, batch: readonly Waiter[]): Promise<void> {
    try {
      const c = await load(name, true);
      if (!c) throw new VectorIndexError(`vector collection "${name}" does not exist`);
      const lines: string[] = [];
      const done: Waiter[] = [];
      let deleted = false;
      for (const w of batch) {
        try {
          const entry = w.change(c);
          if (entry) lines.push(JSON.stringify(entry));
          if (entry && 'd' in entry) deleted = true;
          done.push(w);
        } catch (err) {
          // changes validate before touching the collection: the others go on
          w.reject(err);
        }
      }
      const state = loaded.get(name);
      if (dir && state && lines.length > 0) {
        try {
          state.logEnd = await appendLog(logFile(folder(name), state.generation), state.logEnd, lines);
        } catch (err) {
          // the collection in memory is ahead of the files: read them again next time
          loaded.delete(name);
          throw err;
        }
        // A delete compacts at once: an erased lead's memories must not wait in the log for the
        // next compaction (the previous generation goes with the next save, as before the log).
        // A failed compaction fails the writes though their lines are in the log: retrying them is harmless.
        if (deleted || state.logEnd > compactAt(state)) await save(name, c);
      }
      for (const w of done) w.resolve();
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      release(name);
    }
  }

  function write(name: string, change: Change): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const open = batches.get(name);
      if (open) return void open.push({ change, resolve, reject });
      // this process's writes queued behind a lock holder share the next lock and one append
      const batch: Waiter[] = [{ change, resolve, reject }];
      batches.set(name, batch);
      const close = () => batches.get(name) === batch && batches.delete(name);
      withLock(name, async () => {
        close();
        await commit(name, batch);
      }).catch((err: unknown) => {
        close();
        for (const w of batch) w.reject(err);
      });
    });
  }

  async function existing(name: string): Promise<EmbeddedCollection> {
    const c = await load(name);
    if (!c) throw new VectorIndexError(`vector collection "${name}" does not exist`);
    return c;
  }

  /** True when `c` already serves `spec`; throws when it cannot. */
  function serves(name: string, c: EmbeddedCollection, spec: CollectionSpec): boolean {
    if (c.spec.dims !== spec.dims) throw new VectorIndexError(`vector collection "${name}" has ${c.spec.dims} dimensions, not ${spec.dims}`);
    return Object.entries(spec.indexes).every(([k, t]) => c.spec.indexes[k] === t);
  }

  return {
    kind: 'embedded',
    async ensureCollection(name: string, spec: CollectionSpec) {
      if (!dir && !NAME.test(name)) throw new VectorIndexError(`invalid collection name "${name}"`);
      // called before every memory write and recall: when nothing is to be done, no lock is taken
      const current = await load(name);
      if (current && serves(name, current, spec)) return;
      // writes asked from now on run after this
      batches.delete(name);
      await withLock(name, async () => {
        try {
          const c = await load(name, true);
          if (c && serves(name, c, spec)) return;
          // new collection, or new indexed fields: rebuild the columns from the stored points
          const spec2: CollectionSpec = { dims: spec.dims, indexes: { ...c?.spec.indexes, ...spec.indexes } };
          const next = c ? EmbeddedCollection.restore({ ...c.snapshot(), spec: spec2 }) : new EmbeddedCollection(spec2);
          if (dir) await save(name, next);
          else loaded.set(name, { collection: next, stamp: '', generation: 0, logEnd: 0, snapshotBytes: 0, held: false });
        } finally {
          release(name);
        }
      });
    },
    async upsert(name, points) {
      const pts = points.map((p) => ({ id: p.id, vector: toFloat32(p.vector), payload: p.payload }));
      await write(name, (c) => {
        const bad = pts.find((p) => p.vector.length !== c.spec.dims);
        if (bad) throw new RangeError(`vector has ${bad.vector.length} dimensions, the collection ${c.spec.dims}`);
        c.upsert(pts);
        return pts.length > 0 ? upsertEntry(pts) : null;
      });
    },
    async deleteByIds(name, ids) {
      await write(name, (c) => {
        const present = [...new Set(ids)].filter((id) => c.has(id));
        c.deleteIds(present);
        return present.length > 0 ? { d: present } : null;
      });
    },
    async deleteByFilter(name, filter) {
      // resolved to ids now: replaying the line must not catch points written after it
      await write(name, (c) => {
        const ids = c.idsMatching(filter);
        c.deleteIds(ids);
        return ids.length > 0 ? { d: ids } : null;
      });
    },
    async search(name, vector, o = {}) {
      return (await existing(name)).search(toFloat32(vector), o.limit ?? 10, o.filter);
    },
    async count(name, filter) {
      return (await existing(name)).count(filter);
    },
    async close() {
      await Promise.allSettled([...queues.values(), ...refreshes.values()]);
      loaded.clear();
    },
  };
}
