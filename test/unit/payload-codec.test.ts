import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../lib/env';
import { parseMasterKeyList } from '../../lib/master-key.parser';
import { open, seal } from '../../temporal/codec/aes-gcm';
import { keyOwnerFor } from '../../temporal/codec/encryption.codec';
import { keyring } from '../../temporal/codec/master-keys';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

describe('master key configuration', () => {
  it('parses id:base64 lists and refuses malformed, short or repeated keys', () => {
    expect(parseMasterKeyList(`a:${key(1)}, b:${key(2)}`)?.map((k) => k.id)).toEqual(['a', 'b']);
    expect(parseMasterKeyList(`a:${Buffer.alloc(16).toString('base64')}`)).toBeNull();
    expect(parseMasterKeyList(`a:${key(1)},a:${key(2)}`)).toBeNull();
    expect(parseMasterKeyList(`:${key(1)}`)).toBeNull();
    expect(parseMasterKeyList('a:not base64!')).toBeNull();
  });

  it('requires keys in production and an active id that exists when several are listed', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', API_TOKEN: 'a-long-enough-token-123' })).toThrow(/ENCRYPTION_MASTER_KEYS: is required/);
    expect(() => parseEnv({ ENCRYPTION_MASTER_KEYS: `a:${key(1)},b:${key(2)}` })).toThrow(/ENCRYPTION_ACTIVE_KEY_ID: is required/);
    expect(() => parseEnv({ ENCRYPTION_MASTER_KEYS: `a:${key(1)}`, ENCRYPTION_ACTIVE_KEY_ID: 'z' })).toThrow(/ENCRYPTION_ACTIVE_KEY_ID: is not one of/);
    expect(() => parseEnv({ ENCRYPTION_MASTER_KEYS: 'a:short' })).toThrow(/ENCRYPTION_MASTER_KEYS/);
    const env = parseEnv({ ENCRYPTION_MASTER_KEYS: `a:${key(1)},b:${key(2)}`, ENCRYPTION_ACTIVE_KEY_ID: 'b' });
    expect(keyring(parseMasterKeyList(env.ENCRYPTION_MASTER_KEYS!)!, env.ENCRYPTION_ACTIVE_KEY_ID).active.id).toBe('b');
  });
});

describe('payload key owner', () => {
  it('uses the lead key for a lead workflow and its activities, the system key otherwise', () => {
    const id = randomUUID();
    expect(keyOwnerFor({ type: 'workflow', namespace: 'default', workflowId: `lead-${id}` })).toBe(`lead:${id}`);
    expect(keyOwnerFor({ type: 'activity', namespace: 'default', workflowId: `lead-${id}`, isLocal: false })).toBe(`lead:${id}`);
    expect(keyOwnerFor({ type: 'workflow', namespace: 'default', workflowId: 'wa-batch-123' })).toBe('system');
    expect(keyOwnerFor({ type: 'workflow', namespace: 'default', workflowId: `lead-${id}-extra` })).toBe('system');
    expect(keyOwnerFor(undefined)).toBe('system');
  });
});

describe('AES-256-GCM sealing', () => {
  it('round-trips and rejects another key, other associated data or a flipped bit', () => {
    const k = randomBytes(32);
    const sealed = seal(k, Buffer.from('Call me on +971 50 123 4567'), 'aad-1');
    expect(sealed.toString('utf8')).not.toContain('4567');
    expect(open(k, sealed, 'aad-1').toString()).toBe('Call me on +971 50 123 4567');
    expect(() => open(randomBytes(32), sealed, 'aad-1')).toThrow();
    expect(() => open(k, sealed, 'aad-2')).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => open(k, flipped, 'aad-1')).toThrow();
    // A fresh IV each time: the same plaintext never gives the same ciphertext.
    expect(seal(k, Buffer.from('x'), 'a').equals(seal(k, Buffer.from('x'), 'a'))).toBe(false);
  });

  it('opens into memory of its own, so a cached data key does not pin a shared pool slab', () => {
    const master = randomBytes(32);
    const opened = Array.from({ length: 3 }, () => open(master, seal(master, randomBytes(32), 'wrap'), 'wrap'));
    for (const key of opened) {
      expect(key.length).toBe(32);
      expect(key.buffer.byteLength).toBe(32);
    }
  });
});
