import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEmbeddedVectorIndex, type EmbeddedVectorIndexOptions } from '../../lib/vector/embedded-vector.index';
import { withFileLock } from '../../lib/vector/embedded-vector.store';
import type { VectorIndex } from '../../lib/vector/vector-index.contract';
import { DIMS, makePoints } from '../integration/vector-index.suite';

// The embedded index on disk writes each change as one line of its generation's log and compacts
// into a new snapshot only past a threshold. Two index instances on one directory stand for the
// API and the worker: each has its own cache and takes the lock file like another process would.

const unique = (p: string) => `${p}_${randomBytes(4).toString('hex')}`;
const INDEXES = { city: 'keyword', lead: 'keyword' } as const;

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'leadline-vector-log-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const open = (o: Omit<EmbeddedVectorIndexOptions, 'dir'> = {}): VectorIndex => createEmbeddedVectorIndex({ dir: tmp, ...o });
const files = async (collection: string) => (await readdir(path.join(tmp, collection))).sort();
const manifest = async (collection: string) => JSON.parse(await readFile(path.join(tmp, collection, 'manifest.json'), 'utf8')) as { format: number; generation: number };
const logOf = async (collection: string, generation: number) => readFile(path.join(tmp, collection, `g${generation}.log`), 'utf8');

async function created(index: VectorIndex): Promise<string> {
  const collection = unique('units');
  await index.ensureCollection(collection, { dims: DIMS, indexes: INDEXES });
  return collection;
}

describe('embedded vector index change log', () => {
  it('appends one line per write and makes no new generation below the threshold', async () => {
    const index = open();
    const collection = await created(index);
    const points = makePoints(90, 3);
    for (let i = 0; i < 90; i += 30) await index.upsert(collection, points.slice(i, i + 30));
    // nothing to delete, nothing to upsert: nothing written
    await index.deleteByIds(collection, ['U-not-there']);
    await index.upsert(collection, []);
    expect(await files(collection)).toEqual(['g0.log', 'g0.points.json', 'g0.vectors.bin', 'manifest.json']);
    expect(await readFile(path.join(tmp, collection, 'g0.points.json'), 'utf8')).toBe('[]');
    const lines = (await logOf(collection, 0)).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => Object.keys(JSON.parse(l) as object)[0])).toEqual(['u', 'u', 'u']);
    expect(await open().count(collection)).toBe(90);
  });

  it('compacts on a delete, so removed points leave the current generation at once', async () => {
    const index = open();
    const collection = await created(index);
    const points = makePoints(60, 4);
    await index.upsert(collection, points);
    await index.deleteByFilter(collection, { must: [{ key: 'city', match: 'London' }] });
    const gone = points.filter((p) => p.payload.city === 'London').map((p) => p.id);
    expect(gone.length).toBeGreaterThan(0);
    const { generation } = await manifest(collection);
    expect(generation).toBe(1);
    const current = (await readFile(path.join(tmp, collection, `g${generation}.points.json`), 'utf8')) + (await logOf(collection, generation));
    expect(gone.filter((id) => current.includes(id))).toEqual([]);
    expect(await open().count(collection)).toBe(60 - gone.length);
  });

  it('shows another instance the upserts and deletes of the first without reopening', async () => {
    const writer = open();
    const collection = await created(writer);
    const points = makePoints(40, 5);
    await writer.upsert(collection, points.slice(0, 20));
    const reader = open();
    expect(await reader.count(collection)).toBe(20);
    await writer.upsert(collection, points.slice(20));
    expect(await reader.count(collection)).toBe(40);
    const hit = (await reader.search(collection, points[33]!.vector, { limit: 1 }))[0]!;
    expect(hit).toMatchObject({ id: points[33]!.id, payload: points[33]!.payload });
    expect(hit.score).toBeCloseTo(1, 4);
    await writer.deleteByIds(collection, [points[33]!.id]);
    await writer.deleteByFilter(collection, { must: [{ key: 'city', match: 'Dubai' }] });
    const left = points.filter((p) => p.id !== points[33]!.id && p.payload.city !== 'Dubai');
    expect(await reader.count(collection)).toBe(left.length);
    expect(await reader.count(collection, { must: [{ key: 'city', match: 'Dubai' }] })).toBe(0);
    expect((await reader.search(collection, points[33]!.vector, { limit: 1 }))[0]!.id).not.toBe(points[33]!.id);
    // and the other way round, the first instance catching up before it writes on top
    const moved = { ...points[34]!, payload: { ...points[34]!.payload, city: 'Sharjah' } };
    await reader.upsert(collection, [moved]);
    await writer.deleteByIds(collection, [points[35]!.id]);
    expect(await writer.count(collection, { must: [{ key: 'city', match: 'Sharjah' }] })).toBe(1);
    expect(await reader.count(collection)).toBe(left.length - 1);
    // each of the three deletes compacted; the reader followed every one
    expect((await manifest(collection)).generation).toBe(3);
  });

  it('ignores a torn last line when reading and cuts it off before the next append', async () => {
    const writer = open();
    const collection = await created(writer);
    const points = makePoints(12, 9);
    await writer.upsert(collection, points.slice(0, 10));
    const reader = open();
    expect(await reader.count(collection)).toBe(10);
    // a writer killed mid-append: even a fragment that parses is not a line until its newline is there
    const log = path.join(tmp, collection, 'g0.log');
    await appendFile(log, JSON.stringify({ d: [points[0]!.id] }));
    expect(await reader.count(collection)).toBe(10);
    expect(await open().count(collection)).toBe(10);
    await writer.upsert(collection, points.slice(10, 11));
    const lines = (await logOf(collection, 0)).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => Object.keys(JSON.parse(l) as object))).toEqual([['u'], ['u']]);
    expect(await reader.count(collection)).toBe(11);
    expect(await open().count(collection)).toBe(11);
    // a fragment that does not parse, cut off by the other instance's write
    await appendFile(log, '{"u":[["U99999","AAAA');
    expect(await reader.count(collection)).toBe(11);
    expect(await open().count(collection)).toBe(11);
    await reader.deleteByIds(collection, [points[10]!.id]);
    const text = await logOf(collection, 0);
    expect(text).not.toContain('U99999');
    expect(text.endsWith('\n')).toBe(true);
    expect(await writer.count(collection)).toBe(10);
    expect(await open().count(collection)).toBe(10);
  });

  it('compacts past the threshold, keeping every point, and readers loaded before still read right', async () => {
    const writer = open({ compactLogBytes: 8_000, compactLogRatio: 0 });
    const collection = await created(writer);
    const points = makePoints(300, 11);
    await writer.upsert(collection, points.slice(0, 50));
    const reader = open();
    expect(await reader.count(collection)).toBe(50);
    for (let i = 50; i < 300; i += 25) await writer.upsert(collection, points.slice(i, i + 25));
    const gone = new Set([points[3]!.id, points[120]!.id, points[299]!.id]);
    await writer.deleteByIds(collection, [...gone]);
    const { generation } = await manifest(collection);
    expect(generation).toBeGreaterThanOrEqual(3);
    // this generation and the one before it, logs included; older ones are gone
    const kept = new Set((await files(collection)).map((f) => /^g(\d+)\./.exec(f)?.[1]).filter((g) => g !== undefined));
    expect([...kept].map(Number).sort((a, b) => a - b)).toEqual([generation - 1, generation]);
    expect(await files(collection)).toContain(`g${generation - 1}.log`);
    const live = points.filter((p) => !gone.has(p.id));
    for (const index of [writer, reader, open()]) {
      expect(await index.count(collection)).toBe(297);
      for (const p of [live[0]!, live[150]!, live[296]!]) {
        const hit = (await index.search(collection, p.vector, { limit: 1 }))[0]!;
        expect(hit).toMatchObject({ id: p.id, payload: p.payload });
        expect(hit.score).toBeCloseTo(1, 4);
      }
      expect(await index.count(collection, { must: [{ key: 'city', match: 'London' }] })).toBe(live.filter((p) => p.payload.city === 'London').length);
      expect((await index.search(collection, points[120]!.vector, { limit: 1 }))[0]!.id).not.toBe(points[120]!.id);
    }
    // every point is in the snapshot and its log: reading them anew finds each one
    const fresh = open();
    for (const p of live) expect((await fresh.search(collection, p.vector, { limit: 1 }))[0]!.id).toBe(p.id);
  });

  it('makes an erase by lead durable across a reopen', async () => {
    const index = open();
    const collection = await created(index);
    const leads = ['lead-a', 'lead-b'];
    const memories = makePoints(30, 13).map((p, i) => ({ ...p, payload: { lead: leads[i % 2]!, embedder: 'offline:test' } }));
    await index.upsert(collection, memories);
    const reader = open();
    expect(await reader.count(collection, { must: [{ key: 'lead', match: 'lead-a' }] })).toBe(15);
    await index.deleteByFilter(collection, { must: [{ key: 'lead', any: ['lead-a'] }] });
    await index.close();
    await reader.close();
    const reopened = open();
    expect(await reopened.count(collection, { must: [{ key: 'lead', match: 'lead-a' }] })).toBe(0);
    expect(await reopened.count(collection, { must: [{ key: 'lead', match: 'lead-b' }] })).toBe(15);
    // the delete line names the erased ids, resolved when it was written
    const lines = (await logOf(collection, 0)).trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toEqual({ d: memories.filter((m) => m.payload.lead === 'lead-a').map((m) => m.id) });
  });

  it('commits writes queued in one process together, each settling on its own', async () => {
    const index = open();
    const collection = await created(index);
    const points = makePoints(60, 17);
    const results = await Promise.allSettled([
      ...Array.from({ length: 6 }, (_, i) => index.upsert(collection, points.slice(i * 10, i * 10 + 10))),
      index.upsert(collection, [{ id: 'bad', vector: [1, 2, 3], payload: {} }]),
      index.deleteByIds(collection, [points[0]!.id]),
      index.deleteByFilter(collection, { must: [{ key: 'city', match: 'New York' }] }),
    ]);
    expect(results.map((r) => r.status)).toEqual([...Array(6).fill('fulfilled'), 'rejected', 'fulfilled', 'fulfilled']);
    const left = points.slice(1).filter((p) => p.payload.city !== 'New York').length;
    expect(await index.count(collection)).toBe(left);
    expect(await open().count(collection)).toBe(left);
    expect((await logOf(collection, 0)).trimEnd().split('\n')).toHaveLength(8);
  });

  it('settles no write before another process releases its lock, then writes them all', async () => {
    const index = open();
    const collection = await created(index);
    const points = makePoints(30, 23);
    // another live process (this one's pid: alive) holds the lock
    const lock = path.join(tmp, `${collection}.lock`);
    await writeFile(lock, String(process.pid), { flag: 'wx' });
    let settled = 0;
    const writes = [0, 10, 20].map((i) => index.upsert(collection, points.slice(i, i + 10)).finally(() => settled++));
    await new Promise((r) => setTimeout(r, 150));
    expect(settled).toBe(0);
    expect(await logOf(collection, 0)).toBe('');
    await rm(lock);
    await Promise.all(writes);
    expect(await open().count(collection)).toBe(30);
    expect((await logOf(collection, 0)).trimEnd().split('\n')).toHaveLength(3);
  });

  it('stays readable and writable after a writing process is killed wherever it was', async () => {
    const collection = await created(open());
    // compacting every few batches, so the kill may land in an append, a compaction or between
    const script = path.join(import.meta.dirname, '..', 'support', 'vector-writer.process.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, tmp, collection, String(DIMS), '8000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await vi.waitFor(() => expect(out.split('\n').length).toBeGreaterThan(40), { timeout: 25_000, interval: 10 });
    child.kill('SIGKILL');
    await once(child, 'close');
    const acked = out.split('\n').filter(Boolean).length;
    // every acknowledged batch is there; the one in flight may or may not be
    const n = await open().count(collection);
    expect([acked * 10, (acked + 1) * 10]).toContain(n);
    // its lock (a dead pid) is taken over, a torn line cut off
    const writer = open();
    await writer.upsert(collection, makePoints(5, 29).map((p) => ({ ...p, id: `after-${p.id}` })));
    expect(await open().count(collection)).toBe(n + 5);
    expect(await open().count(collection, { must: [{ key: 'city', match: 'Dubai' }] })).toBe(n + makePoints(5, 29).filter((p) => p.payload.city === 'Dubai').length);
  });

  it('never shows a lock without its owner, so a writer killed as it locks leaves one the next writer can take over', async () => {
    // A lock created empty and then given its pid was left empty by a kill between the two, and
    // an empty lock names no owner to find dead: the next writer waited for it to go stale.
    const lock = path.join(tmp, `race-${randomBytes(3).toString('hex')}.lock`);
    const seen = new Set<string>();
    let locking = true;
    const watcher = (async () => {
      while (locking) {
        const content = await readFile(lock, 'utf8').catch(() => null);
        if (content !== null) seen.add(content);
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let i = 0; i < 300; i++) await withFileLock(lock, 1_000, () => new Error('busy'), async () => undefined);
    locking = false;
    await watcher;
    expect(seen.size).toBeGreaterThan(0);
    expect([...seen]).toEqual([String(process.pid)]);
    // nothing of the claims is left beside the lock
    expect((await readdir(tmp)).filter((f) => f.startsWith(path.basename(lock)))).toEqual([]);
  });

  it('reads a collection written before logs existed (format 1) and writes on top of it', async () => {
    const index = open({ compactLogBytes: 0, compactLogRatio: 0 });
    const collection = await created(index);
    const points = makePoints(20, 19);
    await index.upsert(collection, points.slice(0, 10));
    const { generation } = await manifest(collection);
    const file = path.join(tmp, collection, 'manifest.json');
    await writeFile(file, JSON.stringify({ ...(await manifest(collection)), format: 1 }));
    await rm(path.join(tmp, collection, `g${generation}.log`));
    const old = open();
    expect(await old.count(collection)).toBe(10);
    await old.upsert(collection, points.slice(10));
    expect(await open().count(collection)).toBe(20);
  });
});
