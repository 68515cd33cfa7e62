import type { LeadMemoryRepository, StoredMemory } from '../../db/lead-memory.repository';
import type { CollectionSpec } from '../../lib/vector/vector-index.contract';
import type { VectorStack } from '../../lib/vector/vector.factory';

// Where a lead memory's embedding lives (ADR 019). Memories are only ever searched within one
// lead, a few dozen vectors. With a vector server (Qdrant) they go to its `lead_memories`
// collection as DESIGN.md has it. With the embedded index they stay on their Postgres rows and
// are ranked exactly on each recall: in the embedded index every lead's vectors lived in the
// worker's memory for good (about 4.7 kB per memory, 14 kB per lead at three memories), which
// grew the worker with every lead it ever saw.

export const leadMemoriesCollection = (embedder: { dims: number }) => `lead_memories_${embedder.dims}`;
export const leadMemoriesSpec = (embedder: { dims: number }): CollectionSpec => ({ dims: embedder.dims, indexes: { lead: 'keyword', embedder: 'keyword' } });

/** The newest memories of a lead ranked on the rows: a chatty lead's oldest ones beyond it are recalled by recency alone. */
const ROWS_RANKED = 500;

export interface LeadMemoryVectors {
  /** Embeds and keeps the vectors of memories just stored. */
  add(leadId: string, memories: readonly StoredMemory[]): Promise<void>;
  /** The lead's memories closest in meaning to `query`, closest first. */
  nearest(leadId: string, query: string, limit: number): Promise<StoredMemory[]>;
  /** Erasure: the leads' vectors wherever they are (the rows go with their table). */
  forget(leadIds: readonly string[]): Promise<void>;
}

export function leadMemoryVectors(stack: VectorStack, repo: LeadMemoryRepository): LeadMemoryVectors {
  return stack.inProcess ? onRows(stack, repo) : inIndex(stack, repo);
}

function inIndex({ index, embedder }: VectorStack, repo: LeadMemoryRepository): LeadMemoryVectors {
  const collection = leadMemoriesCollection(embedder);
  return {
    async add(leadId, memories) {
      await index.ensureCollection(collection, leadMemoriesSpec(embedder));
      const vectors = await embedder.embed(memories.map((m) => m.text));
      await index.upsert(collection, memories.map((m, i) => ({ id: m.id, vector: vectors[i]!, payload: { lead: leadId, embedder: embedder.id } })));
    },
    async nearest(leadId, query, limit) {
      await index.ensureCollection(collection, leadMemoriesSpec(embedder));
      const [vector] = await embedder.embed([query]);
      const hits = await index.search(collection, vector!, { filter: { must: [{ key: 'lead', match: leadId }, { key: 'embedder', match: embedder.id }] }, limit });
      return repo.byIds(leadId, hits.map((h) => h.id));
    },
    async forget(leadIds) {
      await index.ensureCollection(collection, leadMemoriesSpec(embedder));
      await index.deleteByFilter(collection, { must: [{ key: 'lead', any: leadIds }] });
    },
  };
}

function onRows(stack: VectorStack, repo: LeadMemoryRepository): LeadMemoryVectors {
  const { embedder } = stack;
  return {
    async add(leadId, memories) {
      const vectors = await embedder.embed(memories.map((m) => m.text));
      await repo.setEmbeddings(leadId, embedder.id, memories.map((m, i) => ({ id: m.id, vector: vectors[i]! })));
    },
    async nearest(leadId, query, limit) {
      const rows = await repo.withEmbeddings(leadId, embedder.id, ROWS_RANKED);
      if (rows.length === 0) return [];
      // rows from before ADR 019, or from another embedder, are embedded now and kept
      const missing = rows.filter((r) => r.vector === null);
      const [q, ...made] = await embedder.embed([query, ...missing.map((r) => r.text)]);
      missing.forEach((r, i) => (r.vector = made[i]!));
      if (missing.length > 0) await repo.setEmbeddings(leadId, embedder.id, missing.map((r) => ({ id: r.id, vector: r.vector! })));
      // the rows read here are the memories themselves: no second read by id
      const byId = new Map(rows.map((r) => [r.id, r]));
      return rankByCosine(q!, rows.map((r) => ({ id: r.id, vector: r.vector! })), limit).map((id) => byId.get(id)!);
    },
    async forget(leadIds) {
      // vectors that went to the embedded index before ADR 019 are erased with the rows too
      await inIndex(stack, repo).forget(leadIds);
    },
  };
}

/** Ids by cosine similarity to `q`, highest first; ties keep the given order (newest first). */
export function rankByCosine(q: Float32Array, items: ReadonlyArray<{ id: string; vector: Float32Array }>, limit: number): string[] {
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const qn = norm(q);
  const scored = items.flatMap((it, order) => {
    if (it.vector.length !== q.length) return [];
    let dot = 0;
    for (let d = 0; d < q.length; d++) dot += q[d]! * it.vector[d]!;
    const n = qn * norm(it.vector);
    return [{ id: it.id, score: n > 0 ? dot / n : 0, order }];
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.slice(0, limit).map((s) => s.id);
}
