import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// AES-256-GCM as Node's crypto does it, in one layout for payloads and wrapped keys:
// iv (12 random bytes) | tag (16) | ciphertext. The associated data binds a ciphertext to the
// key id it claims, so a payload cannot be relabelled to another lead's key.
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function seal(key: Buffer, plaintext: Uint8Array, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Throws when the key, the associated data or any byte is wrong (GCM authentication). */
export function open(key: Buffer, sealed: Uint8Array, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('ciphertext too short');
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return ownBuffer(decipher.update(buf.subarray(IV_BYTES + TAG_BYTES)), decipher.final());
}

/**
 * The parts joined in a buffer with memory of its own. Buffer.concat takes small results from
 * Node's shared pool (64 kB slabs since Node 24), so an unwrapped 32-byte data key kept in the
 * key cache pinned a whole slab: 10,000 cached lead keys would hold 640 MB (#13, docs/scale.md,
 * "A data key's 64 kB").
 */
function ownBuffer(...parts: Buffer[]): Buffer {
  const out = Buffer.allocUnsafeSlow(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) at += p.copy(out, at);
  return out;
}

export const newDataKey = (): Buffer => randomBytes(32);
