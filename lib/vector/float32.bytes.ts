// float32 vectors as bytes (platform order, little-endian here) for the embedded index's log and
// the vectors kept on Postgres rows, and back.

/** The vector's own bytes, without a copy. */
export function float32Bytes(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** A copy: the bytes may sit unaligned in Node's pool or a driver's slab, a Float32Array view needs 4-byte alignment. */
export function float32FromBytes(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new RangeError(`${bytes.byteLength} bytes are not float32 values`);
  const v = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(v.buffer).set(bytes);
  return v;
}
