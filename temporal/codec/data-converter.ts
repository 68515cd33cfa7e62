import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Env } from '../../lib/env';
import { DataKeyStore } from './data-key.store';
import { EncryptionCodec } from './encryption.codec';
import { masterKeyring, type MasterKeyring } from './master-keys';

/** For bundleWorkflowCode: the workflow sandbox must encode failures the same way. */
export const failureConverterPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'failure.converter.ts');

export interface PayloadEncryption {
  /** For the Worker and every Client (API, worker-side, tests, scripts). */
  dataConverter: DataConverter;
  codec: EncryptionCodec;
  keys: DataKeyStore;
  /** Crypto-shreds the lead's workflow payloads (see DataKeyStore.destroyLeadKey). */
  destroyLeadKey(leadId: string): Promise<number>;
}

type EncryptionEnv = Pick<Env, 'NODE_ENV' | 'ENCRYPTION_MASTER_KEYS' | 'ENCRYPTION_ACTIVE_KEY_ID' | 'ENCRYPTION_KEY_CACHE_SIZE' | 'ENCRYPTION_KEY_CACHE_TTL_MS'>;

// One factory for every process that talks to Temporal, so they all read and write the same
// ciphertext. Share one instance per process: its key cache is what makes the codec cheap, and
// destroyLeadKey evicts from it.
export function createPayloadEncryption(env: EncryptionEnv, orm: MikroORM, masters: MasterKeyring = masterKeyring(env)): PayloadEncryption {
  const keys = new DataKeyStore(orm, masters, { cacheSize: env.ENCRYPTION_KEY_CACHE_SIZE, cacheTtlMs: env.ENCRYPTION_KEY_CACHE_TTL_MS });
  const codec = new EncryptionCodec(keys);
  return {
    dataConverter: { payloadCodecs: [codec], failureConverterPath },
    codec,
    keys,
    destroyLeadKey: (leadId) => keys.destroyLeadKey(leadId),
  };
}

export function createDataConverter(env: EncryptionEnv, orm: MikroORM): DataConverter {
  return createPayloadEncryption(env, orm).dataConverter;
}
