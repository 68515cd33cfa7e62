import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { LRUCache } from 'lru-cache';
import { DataKeyEntity, type DataKeyRow } from '../../db/data-key.entity';
import { newDataKey, open, seal } from './aes-gcm';
import type { MasterKeyring } from './master-keys';

export interface DataKey {
  id: string;
  owner: string;
  key: Buffer;
  /** The master key that wrapped it when it was loaded (travels in payload metadata). */
  masterKeyId: string;
}

/** The key was crypto-shredded: whatever it encrypted is gone for good. */
export class DataKeyDestroyedError extends Error {
  override name = 'DataKeyDestroyedError';
  constructor(readonly keyId: string) {
    super(`data key ${keyId} was destroyed: the payloads it encrypted can no longer be read`);
  }
}

/** The key (or the master key wrapping it) is not known to this deployment. */
export class DataKeyUnavailableError extends Error {
  override name = 'DataKeyUnavailableError';
}

export const SYSTEM_KEY_OWNER = 'system';
export const leadKeyOwner = (leadId: string) => `lead:${leadId}`;

const wrapAad = (id: string, owner: string) => `leadline/data-key/v1/${id}/${owner}`;

export interface DataKeyStoreOptions {
  cacheSize: number;
  cacheTtlMs: number;
}

// Data keys live in Postgres wrapped with a master key; unwrapped ones are cached in a bounded
// LRU so a payload costs one AES operation, not a database round trip. The TTL bounds how long
// another process can keep using a key after it was destroyed here.
export class DataKeyStore {
  private readonly byId: LRUCache<string, DataKey>;
  private readonly liveIdByOwner: LRUCache<string, string>;
  private readonly inflight = new Map<string, Promise<DataKey>>();

  constructor(
    private readonly orm: MikroORM,
    private readonly masters: MasterKeyring,
    options: DataKeyStoreOptions,
  ) {
    this.byId = new LRUCache({ max: options.cacheSize, ttl: options.cacheTtlMs });
    this.liveIdByOwner = new LRUCache({ max: options.cacheSize, ttl: options.cacheTtlMs });
  }

  /** The key new payloads of `owner` are encrypted with; created on first use. */
  async liveKey(owner: string): Promise<DataKey> {
    const id = this.liveIdByOwner.get(owner);
    const cached = id ? this.byId.get(id) : undefined;
    if (cached) return cached;
    return this.once(`owner:${owner}`, async () => {
      const key = await this.loadOrCreateLive(owner);
      this.remember(key);
      this.liveIdByOwner.set(owner, key.id);
      return key;
    });
  }

  /** The key a payload names in its metadata. */
  async keyById(id: string): Promise<DataKey> {
    const cached = this.byId.get(id);
    if (cached) return cached;
    return this.once(`id:${id}`, async () => {
      const row = await this.orm.em.fork().findOne(DataKeyEntity, { id });
      if (!row) throw new DataKeyUnavailableError(`data key ${id} is unknown`);
      const key = await this.unwrap(row);
      this.remember(key);
      // An owner has one live key: the one the API wrote a new lead's first payloads with is the
      // one the worker answers with, so the worker's first encode needs no second round trip.
      if (!row.destroyedAt && !this.liveIdByOwner.has(row.owner)) this.liveIdByOwner.set(row.owner, key.id);
      return key;
    });
  }

  /**
   * Crypto-shreds every key of the lead: the wrapped bytes are wiped, so its workflow histories
   * (and anything else encrypted with them) can never be decrypted again. Anything written for
   * the lead afterwards (an erase run winding down) gets a fresh key. Returns how many keys
   * were destroyed. Other processes drop their cached copy within ENCRYPTION_KEY_CACHE_TTL_MS.
   */
  async destroyLeadKey(leadId: string): Promise<number> {
    const owner = leadKeyOwner(leadId);
    const destroyed = await this.orm.em
      .fork()
      .nativeUpdate(DataKeyEntity, { owner, destroyedAt: null }, { wrappedKey: null, destroyedAt: new Date() });
    this.liveIdByOwner.delete(owner);
    for (const [id, key] of this.byId.entries()) if (key.owner === owner) this.byId.delete(id);
    return destroyed;
  }

  private remember(key: DataKey) {
    this.byId.set(key.id, key);
  }

  // Concurrent misses for the same key share one database round trip.
  private once(slot: string, load: () => Promise<DataKey>): Promise<DataKey> {
    const pending = this.inflight.get(slot);
    if (pending) return pending;
    const promise = load().finally(() => this.inflight.delete(slot));
    this.inflight.set(slot, promise);
    return promise;
  }

  private async loadOrCreateLive(owner: string): Promise<DataKey> {
    const em = this.orm.em.fork();
    const existing = await em.findOne(DataKeyEntity, { owner, destroyedAt: null });
    if (existing) return this.unwrap(existing);
    const id = randomUUID();
    const key = newDataKey();
    const master = this.masters.active;
    try {
      await em.insert(DataKeyEntity, {
        id,
        owner,
        masterKeyId: master.id,
        wrappedKey: seal(master.key, key, wrapAad(id, owner)).toString('base64'),
        createdAt: new Date(),
        destroyedAt: null,
      });
      return { id, owner, key, masterKeyId: master.id };
    } catch (err) {
      // Another process created the owner's key first: use theirs.
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      const winner = await this.orm.em.fork().findOne(DataKeyEntity, { owner, destroyedAt: null });
      if (!winner) throw err;
      return this.unwrap(winner);
    }
  }

  private async unwrap(row: DataKeyRow): Promise<DataKey> {
    if (row.destroyedAt || !row.wrappedKey) throw new DataKeyDestroyedError(row.id);
    const master = this.masters.get(row.masterKeyId);
    if (!master) throw new DataKeyUnavailableError(`data key ${row.id} is wrapped with master key "${row.masterKeyId}", which is not configured (ENCRYPTION_MASTER_KEYS)`);
    const key = open(master.key, Buffer.from(row.wrappedKey, 'base64'), wrapAad(row.id, row.owner));
    if (master.id !== this.masters.active.id) await this.rewrap(row, key);
    return { id: row.id, owner: row.owner, key, masterKeyId: this.masters.active.id };
  }

  // After a master key rotation, keys move to the active master as they are used, so the old
  // master can be retired once nothing is wrapped with it. The data key (and its id) stay the
  // same: payloads already written keep decrypting.
  private async rewrap(row: DataKeyRow, key: Buffer) {
    const active = this.masters.active;
    await this.orm.em
      .fork()
      .nativeUpdate(
        DataKeyEntity,
        { id: row.id, masterKeyId: row.masterKeyId, destroyedAt: null },
        { masterKeyId: active.id, wrappedKey: seal(active.key, key, wrapAad(row.id, row.owner)).toString('base64') },
      );
  }
}
