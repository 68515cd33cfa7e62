import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { EmbeddedCollection } from './embedded-collection';

// The files of one embedded collection (<dir>/<collection>/): numbered generations, each a
// snapshot (g<N>.points.json, g<N>.vectors.bin, g<N>.graph.usearch) plus the change log written
// since (g<N>.log, ./embedded-vector.log.ts), and manifest.json naming the current generation,
// replaced by rename so a reader sees the old manifest or the new one, never half of one; and
// the lock file that serialises writers across processes.

const Manifest = z.object({
  // 2: generations have a change log. A format-1 collection (no logs) reads as one with empty logs;
  // a process still on format 1 fails loudly on a format-2 manifest instead of ignoring the logs.
  format: z.union([z.literal(1), z.literal(2)]),
  generation: z.number().int().min(0),
  spec: z.object({ dims: z.number().int().positive(), indexes: z.record(z.string(), z.enum(['keyword', 'integer', 'float'])) }),
});
type Manifest = z.infer<typeof Manifest>;
/** A point's payload as the snapshot and the change log store it. */
export const StoredPayload = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const Points = z.array(z.tuple([z.string(), StoredPayload]).nullable());

const manifestFile = (folder: string) => path.join(folder, 'manifest.json');
const base = (folder: string, generation: number) => path.join(folder, `g${generation}`);
export const logFile = (folder: string, generation: number) => `${base(folder, generation)}.log`;

/** Changes whenever the manifest is replaced (a new inode), null when there is none. */
export async function manifestStamp(folder: string): Promise<string | null> {
  const st = await stat(manifestFile(folder)).catch(() => null);
  return st ? `${st.ino}:${st.mtimeMs}:${st.size}` : null;
}

export interface LoadedGeneration {
  collection: EmbeddedCollection;
  generation: number;
  /** Bytes of the snapshot's points and vectors: what a compaction rewrites. */
  snapshotBytes: number;
}

/** The current generation's snapshot (without its log). */
export async function readGeneration(folder: string): Promise<LoadedGeneration> {
  const m = Manifest.parse(JSON.parse(await readFile(manifestFile(folder), 'utf8')));
  const b = base(folder, m.generation);
  const json = await readFile(`${b}.points.json`, 'utf8');
  const points = Points.parse(JSON.parse(json));
  const raw = await readFile(`${b}.vectors.bin`);
  const vectors = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const graph = `${b}.graph.usearch`;
  const hasGraph = await stat(graph).then(() => true, () => false);
  const collection = EmbeddedCollection.restore(
    { spec: m.spec, ids: points.map((p) => p?.[0] ?? null), payloads: points.map((p) => p?.[1] ?? null), vectors },
    hasGraph ? graph : undefined,
  );
  return { collection, generation: m.generation, snapshotBytes: Buffer.byteLength(json) + raw.byteLength };
}

/** Writes `collection` as generation `generation` with an empty log and makes it current; the
 *  generation before it stays (a reader may be loading it right now), older ones are removed,
 *  logs with them. Returns the snapshot's size. */
export async function writeGeneration(folder: string, generation: number, collection: EmbeddedCollection): Promise<number> {
  await mkdir(folder, { recursive: true });
  const b = base(folder, generation);
  const s = collection.snapshot();
  const json = JSON.stringify(s.ids.map((id, i) => (id === null ? null : [id, s.payloads[i]])));
  await writeFile(`${b}.points.json`, json);
  await writeFile(`${b}.vectors.bin`, new Uint8Array(s.vectors.buffer, s.vectors.byteOffset, s.vectors.byteLength));
  if (collection.size > 0) collection.saveGraph(`${b}.graph.usearch`);
  else await rm(`${b}.graph.usearch`, { force: true });
  // emptied, not assumed absent: a log left under this number (a manifest removed by hand) must not replay
  await writeFile(logFile(folder, generation), '');
  const manifest: Manifest = { format: 2, generation, spec: { dims: s.spec.dims, indexes: { ...s.spec.indexes } } };
  const tmp = `${manifestFile(folder)}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(manifest));
  await rename(tmp, manifestFile(folder));
  for (const file of await readdir(folder)) {
    const g = /^g(\d+)\./.exec(file);
    if (g && Number(g[1]) < generation - 1) await rm(path.join(folder, file), { force: true });
  }
  return Buffer.byteLength(json) + s.vectors.byteLength;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
const STALE_LOCK_MS = 120_000;

/**
 * Runs `fn` holding the lock file `lock` (holding the owner's pid), across processes. The lock
 * appears with its pid already in it: the pid goes into a claim file of our own, which is then
 * hard-linked as the lock (atomic, and refused if the lock exists). Creating the lock and then
 * writing the pid left an empty lock when a process was killed between the two, and an empty
 * lock names no owner to find dead: every writer waited for it to go stale (2 minutes).
 */
export async function withFileLock<T>(lock: string, timeoutMs: number, busy: () => Error, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const claim = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}.claim`;
  await writeFile(claim, String(process.pid));
  try {
    for (;;) {
      try {
        await link(claim, lock);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const st = await stat(lock).catch(() => null);
        // a lock left by a killed process (same host: the files are local) is taken over
        const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
        if ((st && Date.now() - st.mtimeMs > STALE_LOCK_MS) || (owner > 0 && !alive(owner))) await rm(lock, { force: true });
        else if (Date.now() > deadline) throw busy();
        else await new Promise((r) => setTimeout(r, 25));
      }
    }
  } finally {
    await rm(claim, { force: true });
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}
