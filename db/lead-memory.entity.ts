import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { LeadEntity } from './entities';

// Lead memories (#16): short facts and preferences taken from a lead's messages ("wants a big
// balcony", "has two kids"), each with the message it came from. Personal data: erased with the
// lead (ErasureRepository.scrub and the erasure workflow's forget step), never logged. Their
// embeddings: in the `lead_memories` vector collection under the same ids when a vector server
// (Qdrant) is configured, on the row itself otherwise (ADR 019).
export const LeadMemoryEntity = defineEntity({
  name: 'LeadMemory',
  tableName: 'lead_memories',
  // the same item from the same message is one memory, however often a turn is retried
  uniques: [{ name: 'lead_memories_lead_message_text_unique', properties: ['lead', 'messageProviderId', 'text'] }],
  indexes: [{ name: 'lead_memories_lead_created_idx', properties: ['lead', 'createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    lead: () => p.manyToOne(LeadEntity),
    /** fact | preference */
    kind: p.string(),
    text: p.text(),
    /** The provider id of the lead message it came from. */
    messageProviderId: p.string(),
    /** float32 little-endian, when the embedded index is in use (null with Qdrant, or not embedded yet). */
    embedding: p.blob().nullable(),
    /** The embedder that made `embedding` (its id, e.g. offline-hash-v1-384): another one's is recomputed. */
    embedder: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type LeadMemoryRow = InferEntity<typeof LeadMemoryEntity>;
