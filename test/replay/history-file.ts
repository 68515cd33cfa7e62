import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { isEncrypted } from '../../temporal/codec/encryption.codec';

// Recorded lead-workflow histories replayed by test/integration/lead-replay.test.ts. They are
// written from real runs (`handle.fetchHistory()`) when RECORD_REPLAY_HISTORIES=1 is set and
// otherwise only read. Worker identities (`pid@hostname`) are scrubbed and payloads decrypted
// before saving.
//
// Stored as the proto classes' own JSON (`toObject`, longs/enums/bytes as strings) rather than
// through `historyToJSON`/`historyFromJSON`: with the two protobufjs copies this install has,
// those two helpers fail with "type must be a Type". Loading yields a real History message
// (Long event ids), which `Worker.runReplayHistory` takes as is.
const History = temporal.api.history.v1.History;
export type History = temporal.api.history.v1.IHistory;

export const historiesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');

export const recording = () => process.env.RECORD_REPLAY_HISTORIES === '1';

/**
 * Prefix of the histories recorded now. Bump it (lead-v2, …) with a change that patches the
 * workflow, so recording writes new files and the older ones stay to be replayed.
 */
export const HISTORY_SERIES = 'lead-v6';

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'identity' ? 'recorded-worker' : scrub(v)]));
  }
  return value;
}

export function historyToPlainJson(history: History): unknown {
  return scrub(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }));
}

/**
 * Replaces every encrypted payload in the history with the plain one, in place: the replay test
 * runs without the keys, which live in the recording run's database only.
 */
async function decrypt(value: unknown, codec: PayloadCodec): Promise<void> {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) await decrypt(v, codec);
    return;
  }
  const node = value as Record<string, unknown>;
  if (node.data instanceof Uint8Array && node.metadata && isEncrypted(node as Payload)) {
    const [plain] = await codec.decode([node as Payload]);
    node.metadata = plain!.metadata;
    node.data = plain!.data;
    return;
  }
  for (const v of Object.values(node)) await decrypt(v, codec);
}

export async function saveHistory(handle: WorkflowHandle, name: string, codec: PayloadCodec): Promise<string> {
  const history = await handle.fetchHistory();
  await decrypt(history, codec);
  const json = historyToPlainJson(history);
  const file = path.join(historiesDir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(json, null, 1)}\n`);
  return file;
}

/** Records the history (as `<HISTORY_SERIES>-<name>.json`) only in recording mode; returns whether it did. */
export async function maybeRecordHistory(handle: WorkflowHandle, name: string, codec: PayloadCodec): Promise<boolean> {
  if (!recording()) return false;
  await saveHistory(handle, `${HISTORY_SERIES}-${name}`, codec);
  return true;
}

export function listHistories(): string[] {
  return readdirSync(historiesDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function loadHistory(file: string): History {
  return History.fromObject(JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8')) as Record<string, unknown>);
}
