import { appendFile, open, stat, truncate } from 'node:fs/promises';
import { z } from 'zod';
import type { EmbeddedCollection } from './embedded-collection';
import { StoredPayload } from './embedded-vector.store';
import { VectorIndexError, type VectorPayload } from './vector-index.contract';
import { float32Bytes, float32FromBytes } from './float32.bytes';

// The change log of one generation of an embedded collection (g<N>.log next to its snapshot):
// every write appends one JSON line, so a write costs what it changes, not what the collection
// holds. A line is either upserts, with each vector as base64 of its float32 bytes, or deletes as
// concrete ids (a delete by filter is resolved when it is written, so replaying it cannot catch
// points upserted later). JSON never holds a raw newline, so a newline ends a line and nothing
// else: a reader applies only complete lines and leaves a trailing fragment (a writer mid-append,
// or one killed mid-append) alone; the next writer, holding the lock, cuts the fragment off
// before appending (the write it held never told its caller it was done).

const Entry = z.union([z.object({ u: z.array(z.tuple([z.string(), z.string(), StoredPayload])) }), z.object({ d: z.array(z.string()) })]);
export type LogEntry = z.infer<typeof Entry>;

const NEWLINE = 0x0a;

export interface LoggedPoint {
  id: string;
  vector: Float32Array;
  payload: VectorPayload;
}

export function upsertEntry(points: readonly LoggedPoint[]): LogEntry {
  return { u: points.map((p) => [p.id, float32Bytes(p.vector).toString('base64'), { ...p.payload }]) };
}

/** Replays `entries` in order. A run of upserts goes to the collection as one batch (the last
 *  write of an id wins within it, as across lines): the graph adds a batch on all cores, faster
 *  than line by line when a reader catches up on many lines. */
export function applyEntries(c: EmbeddedCollection, entries: readonly LogEntry[]): void {
  let run: LoggedPoint[] = [];
  const flush = () => {
    if (run.length > 0) c.upsert(run);
    run = [];
  };
  for (const e of entries) {
    if ('u' in e) for (const [id, b64, payload] of e.u) run.push({ id, vector: decodeVector(b64, c.spec.dims), payload });
    else {
      flush();
      c.deleteIds(e.d);
    }
  }
  flush();
}

function decodeVector(b64: string, dims: number): Float32Array {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.byteLength !== dims * 4) throw new RangeError(`logged vector has ${bytes.byteLength / 4} dimensions, the collection ${dims}`);
  return float32FromBytes(bytes);
}

export interface LogRead {
  entries: LogEntry[];
  /** Byte offset just past the last complete line: where the next read starts. */
  end: number;
  /** The file's size when read (0 when it does not exist); beyond `end` lies a torn fragment. */
  size: number;
}

/** The complete lines of `file` from byte `from` on. */
export async function readLog(file: string, from: number): Promise<LogRead> {
  // every read of the collection asks: one stat when nothing was appended
  const before = await stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (!before || before.size <= from) return { entries: [], end: from, size: before?.size ?? 0 };
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size <= from) return { entries: [], end: from, size };
    const buf = Buffer.alloc(size - from);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, from + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    const last = buf.subarray(0, got).lastIndexOf(NEWLINE);
    if (last < 0) return { entries: [], end: from, size };
    const entries: LogEntry[] = [];
    let at = 0;
    for (const line of buf.toString('utf8', 0, last).split('\n')) {
      try {
        entries.push(Entry.parse(JSON.parse(line)));
      } catch (err) {
        // only the tail can be torn (writers cut it off before appending): this is damage
        throw new VectorIndexError(`${file}: unreadable line at byte ${from + at}: ${err instanceof Error ? err.message : String(err)}`);
      }
      at += Buffer.byteLength(line) + 1;
    }
    return { entries, end: from + last + 1, size };
  } finally {
    await fh.close();
  }
}

/** Appends `lines` (JSON texts) at `end`, the end of the last complete line the writer read
 *  under the lock, first cutting off a torn fragment left by a writer killed mid-append. One
 *  append for all the lines. No fsync, as for the snapshot files: a killed process loses nothing
 *  it wrote (the kernel holds it), but a power cut may lose the newest lines or leave a fragment
 *  (cut off by the next writer). Returns the new end. */
export async function appendLog(file: string, end: number, lines: readonly string[]): Promise<number> {
  const size = (await stat(file).catch(() => null))?.size ?? 0;
  if (size < end) throw new VectorIndexError(`${file} is shorter (${size} bytes) than what was read from it (${end})`);
  if (size > end) await truncate(file, end);
  const text = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
  await appendFile(file, text);
  return end + text.byteLength;
}
