import { inRange, type Range } from './vector-index.contract';

// Sets of slots (the embedded index's point positions) as bitsets: one bit per slot, 32 per word.
// At 100k points a set is 3,125 words, so intersecting two keyword filters, or counting exactly
// how many points a filter leaves, costs a few microseconds instead of a pass over the payloads.

export type SlotBits = Uint32Array;

export function wordsFor(slots: number): number {
  return (slots + 31) >>> 5;
}

export function emptyBits(words: number): SlotBits {
  return new Uint32Array(words);
}

/** A copy widened to `words` (the collection grew). */
export function widened(bits: SlotBits, words: number): SlotBits {
  const out = new Uint32Array(words);
  out.set(bits.subarray(0, Math.min(bits.length, words)));
  return out;
}

export function hasSlot(bits: SlotBits, slot: number): boolean {
  return (bits[slot >>> 5]! & (1 << (slot & 31))) !== 0;
}

export function addSlot(bits: SlotBits, slot: number): void {
  bits[slot >>> 5]! |= 1 << (slot & 31);
}

export function removeSlot(bits: SlotBits, slot: number): void {
  bits[slot >>> 5]! &= ~(1 << (slot & 31));
}

/** `a ∧ b`, as a new set. */
export function intersection(a: SlotBits, b: SlotBits): SlotBits {
  const out = new Uint32Array(a.length);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) out[i] = a[i]! & b[i]!;
  return out;
}

/** `into |= a ∧ b` (collects the union of several postings within a candidate set). */
export function addIntersection(into: SlotBits, a: SlotBits, b: SlotBits): void {
  const n = Math.min(into.length, a.length, b.length);
  for (let i = 0; i < n; i++) into[i]! |= a[i]! & b[i]!;
}

export function addAll(into: SlotBits, a: SlotBits): void {
  const n = Math.min(into.length, a.length);
  for (let i = 0; i < n; i++) into[i]! |= a[i]!;
}

/** `a ∧ ¬b`, as a new set. */
export function difference(a: SlotBits, b: SlotBits): SlotBits {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! & ~(b[i] ?? 0);
  return out;
}

export function countSlots(bits: SlotBits): number {
  let n = 0;
  for (let i = 0; i < bits.length; i++) {
    let x = bits[i]!;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    n += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
  }
  return n;
}

/** The set's slots in ascending order, written into `out` (grown when short); returns how many. */
export function slotsOf(bits: SlotBits, out: { slots: Int32Array }): number {
  let n = 0;
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w]!;
    while (x !== 0) {
      const low = x & -x;
      if (n === out.slots.length) out.slots = widenedSlots(out.slots);
      out.slots[n++] = (w << 5) + 31 - Math.clz32(low);
      x ^= low;
    }
  }
  return n;
}

function widenedSlots(a: Int32Array): Int32Array {
  const out = new Int32Array(Math.max(1024, a.length * 2));
  out.set(a);
  return out;
}

/** The slots of `within` whose value lies in the range (NaN, no number stored, never does): the
 *  range test inlined, since profile filters run it over tens of thousands of candidates. */
export function selectRange(within: SlotBits, values: Float64Array, r: Range): SlotBits {
  const lo = r.gt ?? r.gte ?? -Infinity;
  const hi = r.lt ?? r.lte ?? Infinity;
  // gt/lt are strict; when both a strict and an inclusive bound are given the contract's inRange
  // applies both (NaN fails any bound), so those rare ranges keep the general test
  const exactLo = r.gt !== undefined && r.gte !== undefined;
  const exactHi = r.lt !== undefined && r.lte !== undefined;
  if (exactLo || exactHi) return selectSlots(within, (slot) => inRange(values[slot]!, r));
  const loStrict = r.gt !== undefined;
  const hiStrict = r.lt !== undefined;
  const out = new Uint32Array(within.length);
  for (let w = 0; w < within.length; w++) {
    let x = within[w]!;
    let kept = 0;
    while (x !== 0) {
      const low = x & -x;
      const v = values[(w << 5) + 31 - Math.clz32(low)]!;
      if ((loStrict ? v > lo : v >= lo) && (hiStrict ? v < hi : v <= hi)) kept |= low;
      x ^= low;
    }
    out[w] = kept;
  }
  return out;
}

/** The slots of `within` for which `test` holds, as a new set (range and unindexed conditions). */
export function selectSlots(within: SlotBits, test: (slot: number) => boolean): SlotBits {
  const out = new Uint32Array(within.length);
  for (let w = 0; w < within.length; w++) {
    let x = within[w]!;
    let kept = 0;
    while (x !== 0) {
      const low = x & -x;
      if (test((w << 5) + 31 - Math.clz32(low))) kept |= low;
      x ^= low;
    }
    out[w] = kept;
  }
  return out;
}
