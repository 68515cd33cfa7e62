import {
  addAll,
  addIntersection,
  addSlot,
  countSlots,
  difference,
  emptyBits,
  hasSlot,
  removeSlot,
  selectRange,
  selectSlots,
  type SlotBits,
  widened,
  wordsFor,
} from './slot.bitset';
import { type Condition, payloadMatches, type PayloadFieldType, type VectorFilter, type VectorPayload } from './vector-index.contract';

// The embedded index's payload indexes (Qdrant's, in miniature): a typed column per indexed field,
// and for keyword fields a posting per value. A filter is evaluated into the exact set of slots it
// leaves, as a bitset: keyword conditions intersect postings word by word, range conditions test
// the column only for the slots still in the set, and nested groups are evaluated within it. So
// the search knows exactly how many points pass (its plan depends on it) at a cost bounded by the
// surviving candidates, never by a pass over every payload.

/** A value's slots: a Set always, and a bitset once the value is common enough that intersecting
 *  words beats walking the Set (a per-value bitset for a unique field such as `unit` would cost
 *  capacity/8 bytes per point). */
interface Posting {
  slots: Set<number>;
  bits: SlotBits | null;
}

type Column =
  | { type: 'keyword'; codes: Int32Array; dict: Map<string, number>; postings: Posting[] }
  | { type: 'integer' | 'float'; values: Float64Array };

/** Evaluation order of `must` conditions: postings first (they narrow the set for almost nothing),
 *  then column tests, then nested groups and unindexed fields, which pay per surviving slot. */
const COST = { keyword: 0, integer: 1, float: 1, nested: 2, unindexed: 3 } as const;

export class PayloadColumns {
  private readonly columns = new Map<string, Column>();
  /** The occupied slots. */
  private liveBits: SlotBits;
  private words: number;

  constructor(
    indexes: Readonly<Record<string, PayloadFieldType>>,
    capacity: number,
    /** The full payload of a slot, for conditions on fields without a column. */
    private readonly payloadOf: (slot: number) => VectorPayload | null,
  ) {
    this.words = wordsFor(capacity);
    this.liveBits = emptyBits(this.words);
    for (const [key, type] of Object.entries(indexes)) {
      this.columns.set(key, type === 'keyword' ? { type, codes: new Int32Array(capacity).fill(-1), dict: new Map(), postings: [] } : { type, values: new Float64Array(capacity).fill(NaN) });
    }
  }

  get live(): SlotBits {
    return this.liveBits;
  }

  grow(capacity: number): void {
    this.words = wordsFor(capacity);
    this.liveBits = widened(this.liveBits, this.words);
    for (const col of this.columns.values()) {
      if (col.type === 'keyword') {
        const codes = new Int32Array(capacity).fill(-1);
        codes.set(col.codes);
        col.codes = codes;
        for (const p of col.postings) if (p.bits) p.bits = widened(p.bits, this.words);
      } else {
        const values = new Float64Array(capacity).fill(NaN);
        values.set(col.values);
        col.values = values;
      }
    }
  }

  /** Records a slot's payload (null: the slot is freed). */
  write(slot: number, payload: VectorPayload | null): void {
    if (payload) addSlot(this.liveBits, slot);
    else removeSlot(this.liveBits, slot);
    for (const [key, col] of this.columns) {
      const v = payload?.[key];
      if (col.type !== 'keyword') {
        col.values[slot] = typeof v === 'number' ? v : NaN;
        continue;
      }
      let code = -1;
      if (typeof v === 'string') {
        code = col.dict.get(v) ?? col.dict.size;
        if (code === col.dict.size) col.dict.set(v, code);
      }
      const old = col.codes[slot]!;
      if (old === code) continue;
      if (old >= 0) {
        const p = col.postings[old]!;
        p.slots.delete(slot);
        if (p.bits) removeSlot(p.bits, slot);
      }
      if (code >= 0) {
        const p = (col.postings[code] ??= { slots: new Set(), bits: null });
        p.slots.add(slot);
        if (p.bits) addSlot(p.bits, slot);
        else if (p.slots.size >= this.words) {
          p.bits = emptyBits(this.words);
          for (const s of p.slots) addSlot(p.bits, s);
        }
      }
      col.codes[slot] = code;
    }
  }

  /** The live slots that pass `filter`. */
  match(filter: VectorFilter): SlotBits {
    return this.filterWithin(filter, this.liveBits);
  }

  count(bits: SlotBits): number {
    return countSlots(bits);
  }

  /** The slots of `within` passing `filter`, as a new set (`within` is never changed). */
  private filterWithin(filter: VectorFilter, within: SlotBits): SlotBits {
    let cur = within;
    const must = [...(filter.must ?? [])].sort((a, b) => this.cost(a) - this.cost(b));
    for (const c of must) {
      cur = this.conditionWithin(c, cur);
      if (countSlots(cur) === 0) return cur;
    }
    if (filter.should?.length) {
      const any = emptyBits(cur.length);
      for (const c of filter.should) addAll(any, this.conditionWithin(c, cur));
      cur = any;
    }
    for (const c of filter.mustNot ?? []) cur = difference(cur, this.conditionWithin(c, cur));
    return cur === within ? within.slice() : cur;
  }

  private cost(c: Condition): number {
    if ('filter' in c) return COST.nested;
    return COST[this.columns.get(c.key)?.type ?? 'unindexed'];
  }

  private conditionWithin(c: Condition, within: SlotBits): SlotBits {
    if ('filter' in c) return this.filterWithin(c.filter, within);
    const col = this.columns.get(c.key);
    if (!col) return selectSlots(within, (slot) => payloadMatches(this.payloadOf(slot) ?? {}, { must: [c] }));
    if (col.type === 'keyword') {
      const out = emptyBits(within.length);
      // a keyword column holds strings: a range, or a number or boolean asked of it, matches nothing
      if ('range' in c) return out;
      for (const v of 'match' in c ? [c.match] : c.any) {
        const code = typeof v === 'string' ? col.dict.get(v) : undefined;
        const p = code === undefined ? undefined : col.postings[code];
        if (!p) continue;
        if (p.bits) addIntersection(out, within, p.bits);
        else for (const slot of p.slots) if (hasSlot(within, slot)) addSlot(out, slot);
      }
      return out;
    }
    const values = col.values;
    if ('range' in c) {
      const r = c.range;
      return selectRange(within, values, r);
    }
    const wanted = new Set(('match' in c ? [c.match] : c.any).filter((v): v is number => typeof v === 'number'));
    if (wanted.size === 0) return emptyBits(within.length);
    return selectSlots(within, (slot) => wanted.has(values[slot]!));
  }
}
