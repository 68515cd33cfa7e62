import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LeadMemoryItem, LeadMemoryKind } from '../domain/lead-memory.extractor';
import { float32Bytes, float32FromBytes } from '../lib/vector/float32.bytes';

// The lead_memories table: written after each agent turn, read for the next one, listed for
// brokers, deleted on erasure. Plain SQL: inserts skip items already remembered, so a retried
// turn writes nothing twice and the caller embeds only what is new.

export interface StoredMemory {
  id: string;
  kind: LeadMemoryKind;
  text: string;
  messageProviderId: string;
  createdAt: string;
}

/** A memory with the vector kept on its row (null when none yet, or another embedder's). */
export interface EmbeddedMemory extends StoredMemory {
  vector: Float32Array | null;
}

interface Row {
  id: string;
  kind: string;
  text: string;
  message_provider_id: string;
  created_at: Date | string;
}

const toMemory = (r: Row): StoredMemory => ({
  id: r.id,
  kind: r.kind === 'fact' ? 'fact' : 'preference',
  text: r.text,
  messageProviderId: r.message_provider_id,
  createdAt: new Date(r.created_at).toISOString(),
});

/** The rows among `ids`, in the order of `ids` (a missing id is left out). */
const inIdOrder = (ids: readonly string[], rows: readonly Row[]): StoredMemory[] => {
  const byId = new Map(rows.map((r) => [r.id, toMemory(r)]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
};

export class LeadMemoryRepository {
  constructor(private readonly em: EntityManager) {}

  private sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(query, params);
  }

  /** Stores the items in one statement; returns only those not remembered before, in the items' order. */
  async save(leadId: string, items: readonly LeadMemoryItem[]): Promise<StoredMemory[]> {
    if (items.length === 0) return [];
    const ids = items.map(() => randomUUID());
    const rows = await this.sql<Row>(
      // Only while the lead is not erased, holding its row: an erasure that marks it first wins
      // (this then stores nothing), and one that comes later waits for this row and removes it.
      // Without it a turn's memories written during an erase could outlive the scrub. One
      // statement for the turn's items, not one each: it runs in every first reply's turn (#13).
      `insert into lead_memories (id, lead_id, kind, text, message_provider_id, created_at)
       select v.id, l.id, v.kind, v.text, v.message_provider_id, now()
         from leads l, (values ${items.map(() => '(?::uuid, ?, ?, ?)').join(', ')}) as v(id, kind, text, message_provider_id)
        where l.id = ? and l.erased_at is null
        for share of l
       on conflict on constraint lead_memories_lead_message_text_unique do nothing
       returning id, kind, text, message_provider_id, created_at`,
      [...items.flatMap((item, i) => [ids[i], item.kind, item.text, item.messageId]), leadId],
    );
    return inIdOrder(ids, rows);
  }

  /** The newest first. */
  async recent(leadId: string, limit: number): Promise<StoredMemory[]> {
    const rows = await this.sql<Row>('select id, kind, text, message_provider_id, created_at from lead_memories where lead_id = ? order by created_at desc, id limit ?', [leadId, limit]);
    return rows.map(toMemory);
  }

  async byIds(leadId: string, ids: readonly string[]): Promise<StoredMemory[]> {
    if (ids.length === 0) return [];
    const rows = await this.sql<Row>(`select id, kind, text, message_provider_id, created_at from lead_memories where lead_id = ? and id in (${ids.map(() => '?').join(', ')})`, [leadId, ...ids]);
    return inIdOrder(ids, rows);
  }

  /** Provider ids of the messages already read for memories, among `ids`. */
  async seenMessages(leadId: string, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.sql<{ message_provider_id: string }>(
      `select distinct message_provider_id from lead_memories where lead_id = ? and message_provider_id in (${ids.map(() => '?').join(', ')})`,
      [leadId, ...ids],
    );
    return new Set(rows.map((r) => r.message_provider_id));
  }

  /** Keeps each memory's embedding on its row, with the embedder that made it. */
  async setEmbeddings(leadId: string, embedderId: string, items: ReadonlyArray<{ id: string; vector: Float32Array }>): Promise<void> {
    if (items.length === 0) return;
    await this.sql(
      `update lead_memories m set embedding = v.embedding, embedder = ? from (values ${items.map(() => '(?::uuid, ?::bytea)').join(', ')}) as v(id, embedding)
        where m.id = v.id and m.lead_id = ?`,
      [embedderId, ...items.flatMap((i) => [i.id, float32Bytes(i.vector)]), leadId],
    );
  }

  /** The lead's newest memories with the vectors `embedderId` made (null for the others). */
  async withEmbeddings(leadId: string, embedderId: string, limit: number): Promise<EmbeddedMemory[]> {
    const rows = await this.sql<Row & { embedding: Buffer | null; embedder: string | null }>(
      'select id, kind, text, message_provider_id, created_at, embedding, embedder from lead_memories where lead_id = ? order by created_at desc, id limit ?',
      [leadId, limit],
    );
    // a vector of another embedder, or bytes that are not float32 values, is made again
    const vectorOf = (b: Buffer | null, by: string | null) => (b && by === embedderId && b.byteLength % 4 === 0 ? float32FromBytes(b) : null);
    return rows.map((r) => ({ ...toMemory(r), vector: vectorOf(r.embedding, r.embedder) }));
  }

  async deleteFor(leadIds: readonly string[]): Promise<number> {
    if (leadIds.length === 0) return 0;
    const rows = await this.sql<{ id: string }>(`delete from lead_memories where lead_id in (${leadIds.map(() => '?').join(', ')}) returning id`, [...leadIds]);
    return rows.length;
  }
}

