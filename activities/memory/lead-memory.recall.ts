import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { ConversationMessage, RecalledMemory } from '../../domain/agent.types';
import { extractLeadMemories } from '../../domain/lead-memory.extractor';
import type { Market } from '../../domain/profile.schema';
import { LeadMemoryRepository, type StoredMemory } from '../../db/lead-memory.repository';
import type { VectorStack } from '../../lib/vector/vector.factory';
import { leadMemoryVectors } from './lead-memory-vectors.store';

// Lead memories (#16): written after each agent turn from the lead's messages, recalled before
// the next (the agent's context outlives the transcript window and continue-as-new), erased with
// the lead. The text lives in Postgres only; each memory's embedding is in the `lead_memories`
// vector collection (Qdrant) under its row id with the lead id and embedder as payload, nothing
// more, or on its row when the index is embedded (./lead-memory-vectors.store.ts).

/** Lead messages read per turn: the newest ones (older ones were read by earlier turns). */
const READ_PER_TURN = 20;
/** How many memories the agent sees: the most relevant to the newest message, then the newest. */
const RELEVANT = 12;
const RECENT = 12;
const MAX_RECALLED = 20;

export interface LeadMemoryDeps {
  em: EntityManager;
  /** Without it (a worker built without an index) memories are recalled by recency alone. */
  vectors?: VectorStack;
  logger: Logger;
}

/** Reads the lead's newest messages into memories; returns how many new ones were stored. */
export async function rememberLeadMessages(deps: LeadMemoryDeps, input: { leadId: string; market: Market; now: string; messages: readonly ConversationMessage[] }): Promise<number> {
  const repo = new LeadMemoryRepository(deps.em.fork());
  const fromLead = input.messages.filter((m): m is ConversationMessage & { id: string } => m.from === 'lead' && typeof m.id === 'string' && typeof m.text === 'string').slice(-READ_PER_TURN);
  const seen = await repo.seenMessages(input.leadId, fromLead.map((m) => m.id));
  const items = fromLead.filter((m) => !seen.has(m.id)).flatMap((m) => extractLeadMemories({ id: m.id, text: m.text }, input.market, input.now));
  const stored = await repo.save(input.leadId, items);
  if (stored.length === 0 || !deps.vectors) return stored.length;
  try {
    await leadMemoryVectors(deps.vectors, repo).add(input.leadId, stored);
  } catch (err) {
    // the rows are kept and still recalled by recency; only the search by meaning misses them
    deps.logger.warn({ leadId: input.leadId, memories: stored.length, err: err instanceof Error ? err.message : String(err) }, 'lead memories not indexed');
  }
  return stored.length;
}

/** The memories for the agent's turn: those closest in meaning to the newest lead message, then the newest. */
export async function recallLeadMemories(deps: LeadMemoryDeps, input: { leadId: string; query: string }): Promise<RecalledMemory[]> {
  const repo = new LeadMemoryRepository(deps.em.fork());
  let relevant: StoredMemory[] = [];
  const query = input.query.trim().slice(0, 1000);
  if (query && deps.vectors) {
    try {
      relevant = await leadMemoryVectors(deps.vectors, repo).nearest(input.leadId, query, RELEVANT);
    } catch (err) {
      deps.logger.warn({ leadId: input.leadId, err: err instanceof Error ? err.message : String(err) }, 'lead memory search unavailable; newest memories only');
    }
  }
  const out: RecalledMemory[] = [];
  for (const m of [...relevant, ...(await repo.recent(input.leadId, RECENT))]) {
    if (out.length >= MAX_RECALLED) break;
    if (!out.some((o) => o.text === m.text)) out.push({ kind: m.kind, text: m.text });
  }
  return out;
}

/** Erasure: the lead's memories leave Postgres and the vector index. */
export async function forgetLeadMemories(deps: LeadMemoryDeps, leadIds: readonly string[]): Promise<number> {
  if (leadIds.length === 0) return 0;
  const repo = new LeadMemoryRepository(deps.em.fork());
  if (deps.vectors) await leadMemoryVectors(deps.vectors, repo).forget(leadIds);
  return repo.deleteFor(leadIds);
}
