import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Env } from '../../lib/env';
import { parseMasterKeyList, type MasterKey } from '../../lib/master-key.parser';
import { dataDir } from '../../lib/paths';

export interface MasterKeyring {
  /** The key new (and rewrapped) data keys are wrapped with. */
  active: MasterKey;
  get(id: string): MasterKey | undefined;
}

export function keyring(keys: MasterKey[], activeId?: string): MasterKeyring {
  const active = activeId ? keys.find((k) => k.id === activeId) : keys.length === 1 ? keys[0] : undefined;
  if (!active) throw new Error('ENCRYPTION_ACTIVE_KEY_ID must name one of ENCRYPTION_MASTER_KEYS');
  const byId = new Map(keys.map((k) => [k.id, k]));
  return { active, get: (id) => byId.get(id) };
}

export const devMasterKeyFile = path.join(dataDir, 'encryption', 'master-keys');

/**
 * The configured master keys; outside production without configuration, one key generated
 * on first use and kept in .data/encryption/master-keys, so `make dev` (and tests) keep
 * reading what they wrote. lib/env.ts already refuses production without keys.
 */
export function masterKeyring(env: Pick<Env, 'NODE_ENV' | 'ENCRYPTION_MASTER_KEYS' | 'ENCRYPTION_ACTIVE_KEY_ID'>, file = devMasterKeyFile): MasterKeyring {
  if (env.ENCRYPTION_MASTER_KEYS) return keyring(parseMasterKeyList(env.ENCRYPTION_MASTER_KEYS) ?? [], env.ENCRYPTION_ACTIVE_KEY_ID);
  if (env.NODE_ENV === 'production') throw new Error('ENCRYPTION_MASTER_KEYS is required in production');
  return keyring(parseMasterKeyList(loadOrCreateDevKey(file)) ?? [], undefined);
}

function loadOrCreateDevKey(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written aside, then linked into place (atomic, fails if present): when two processes start
  // at once, both end up reading the one key that won.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, `dev:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  return readFileSync(file, 'utf8').trim();
}
