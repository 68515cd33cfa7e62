export interface MasterKey {
  id: string;
  key: Buffer;
}

/** `id:base64,id:base64` → keys, or null when any entry is malformed, repeated or not 32 bytes. */
export function parseMasterKeyList(value: string): MasterKey[] | null {
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  const keys: MasterKey[] = [];
  for (const entry of entries) {
    const sep = entry.indexOf(':');
    const id = entry.slice(0, sep);
    const b64 = entry.slice(sep + 1);
    if (sep < 1 || !/^[A-Za-z0-9._-]{1,64}$/.test(id) || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32 || keys.some((k) => k.id === id)) return null;
    keys.push({ id, key });
  }
  return keys;
}
