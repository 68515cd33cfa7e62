import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

// Data keys for payload encryption (temporal/codec): one per lead (owner `lead:<uuid>`) plus
// one for everything that is not a lead's (`system`). The key itself is stored only wrapped
// (AES-256-GCM under a master key from configuration); destroying a key wipes the wrapped
// bytes, which makes every payload written with it unreadable for good (crypto-shredding).
export const DataKeyEntity = defineEntity({
  name: 'DataKey',
  tableName: 'data_keys',
  indexes: [
    // One live key per owner, so concurrent first writes for a new lead agree on one key.
    { name: 'data_keys_live_owner_uniq', expression: 'create unique index "data_keys_live_owner_uniq" on "data_keys" ("owner") where "destroyed_at" is null' },
  ],
  properties: {
    id: p.uuid().primary(),
    owner: p.string(),
    /** Which master key wraps it now (rewrapped to the active one on use after a rotation). */
    masterKeyId: p.string(),
    /** base64 of iv | tag | ciphertext; null once destroyed. */
    wrappedKey: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    destroyedAt: p.datetime().nullable(),
  },
});
export type DataKeyRow = InferEntity<typeof DataKeyEntity>;
