// The embedded index's float32 vectors: L2-normalised, one contiguous row per slot, so cosine
// similarity is a dot product over adjacent memory; and the exact top-k over a list of slots,
// which both the filtered scan and the re-scoring of the graph's candidates run.

export class VectorSlots {
  private rows: Float32Array;
  /** The top list, kept between searches: its length is the largest `limit` asked so far. */
  private topSlots = new Int32Array(64);
  private topScores = new Float64Array(64);

  constructor(readonly dims: number, capacity: number) {
    this.rows = new Float32Array(capacity * dims);
  }

  get capacity(): number {
    return this.rows.length / this.dims;
  }

  grow(capacity: number): void {
    const next = new Float32Array(capacity * this.dims);
    next.set(this.rows);
    this.rows = next;
  }

  /** Stores `v` (normalised here) at `slot`. */
  write(slot: number, v: Float32Array): void {
    this.rows.set(normalise(v), slot * this.dims);
  }

  /** Rows `0..count`, as stored (a view, not a copy). */
  head(count: number): Float32Array {
    return this.rows.subarray(0, count * this.dims);
  }

  /** The rows of `slots`, one after another (what the graph is given). */
  gather(slots: readonly number[]): Float32Array {
    const out = new Float32Array(slots.length * this.dims);
    slots.forEach((slot, i) => out.set(this.rows.subarray(slot * this.dims, (slot + 1) * this.dims), i * this.dims));
    return out;
  }

  /** The `limit` best of `slots[0..n]` against the normalised query `q`, best first. */
  top(q: Float32Array, limit: number, slots: Int32Array, n: number): Array<{ slot: number; score: number }> {
    if (this.topSlots.length < limit) {
      this.topSlots = new Int32Array(limit);
      this.topScores = new Float64Array(limit);
    }
    const dims = this.dims;
    const v = this.rows;
    const topSlots = this.topSlots;
    const topScores = this.topScores;
    const tail = dims - (dims % 4);
    let size = 0;
    for (let j = 0; j < n; j++) {
      const slot = slots[j]!;
      // four accumulators: this is the hot loop of filtered search
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      const base = slot * dims;
      let d = 0;
      for (; d < tail; d += 4) {
        a0 += v[base + d]! * q[d]!;
        a1 += v[base + d + 1]! * q[d + 1]!;
        a2 += v[base + d + 2]! * q[d + 2]!;
        a3 += v[base + d + 3]! * q[d + 3]!;
      }
      for (; d < dims; d++) a0 += v[base + d]! * q[d]!;
      const dot = a0 + a1 + a2 + a3;
      if (size === limit && dot <= topScores[limit - 1]!) continue;
      // insertion into the short sorted list (limit is tens); equal scores keep scan order
      let i = size < limit ? size++ : limit - 1;
      while (i > 0 && topScores[i - 1]! < dot) {
        topScores[i] = topScores[i - 1]!;
        topSlots[i] = topSlots[i - 1]!;
        i--;
      }
      topScores[i] = dot;
      topSlots[i] = slot;
    }
    return Array.from({ length: size }, (_, i) => ({ slot: topSlots[i]!, score: topScores[i]! }));
  }
}

export function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm === 0 || Math.abs(norm - 1) < 1e-6) return v;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
  return out;
}
