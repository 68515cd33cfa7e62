import type { EntityManager } from '@mikro-orm/postgresql';
import type { Unit } from '../../domain/profile.schema';
import { UnitEntity } from '../../db/entities';
import type { VectorStack } from '../../lib/vector/vector.factory';
import { toUnit } from './postgres-inventory.search';
import { unitDocument, unitPayload, unitsCollection, unitsSpec } from './unit-vector.document';

// Keeps the `units` collection in step with the units table: call indexUnits after writing
// units, removeUnitsFromIndex after deleting them. A whole pass (reindexAllUnits, or the
// reindex workflow batch by batch) also prunes vectors of other embedders and of units gone
// from Postgres.

export async function indexUnits(stack: VectorStack, units: readonly Unit[]): Promise<number> {
  if (units.length === 0) return 0;
  const { index, embedder } = stack;
  const collection = unitsCollection(embedder);
  await index.ensureCollection(collection, unitsSpec(embedder));
  const vectors = await embedder.embed(units.map(unitDocument));
  await index.upsert(
    collection,
    units.map((u, i) => ({ id: u.id, vector: vectors[i]!, payload: unitPayload(u, embedder.id) })),
  );
  return units.length;
}

export async function removeUnitsFromIndex(stack: VectorStack, ids: readonly string[]): Promise<void> {
  const collection = unitsCollection(stack.embedder);
  await stack.index.ensureCollection(collection, unitsSpec(stack.embedder));
  await stack.index.deleteByIds(collection, ids);
}

/** One batch of a pass over the units table in id order, starting after `after`. */
export async function indexUnitsBatch(em: EntityManager, stack: VectorStack, after: string | null, limit: number): Promise<{ indexed: number; lastId: string | null; done: boolean }> {
  const rows = await em.fork().find(UnitEntity, after ? { id: { $gt: after } } : {}, { orderBy: { id: 'asc' }, limit });
  const indexed = await indexUnits(stack, rows.map(toUnit));
  return { indexed, lastId: rows.at(-1)?.id ?? after, done: rows.length < limit };
}

/** After a full pass: drops vectors from other embedders and of units no longer in the table. */
export async function pruneUnitsIndex(em: EntityManager, stack: VectorStack): Promise<void> {
  const { index, embedder } = stack;
  const collection = unitsCollection(embedder);
  await index.ensureCollection(collection, unitsSpec(embedder));
  await index.deleteByFilter(collection, { mustNot: [{ key: 'embedder', match: embedder.id }] });
  const ids = (await em.fork().find(UnitEntity, {}, { fields: ['id'] })).map((r) => r.id);
  const indexed = await index.count(collection);
  if (indexed > ids.length) await index.deleteByFilter(collection, { mustNot: [{ key: 'unit', any: ids }] });
}

export interface UnitsIndexStatus {
  collection: string;
  embedder: string;
  units: number;
  /** points written by the current embedder */
  indexed: number;
  /** points from another embedder, waiting to be replaced */
  stale: number;
}

export async function unitsIndexStatus(em: EntityManager, stack: VectorStack): Promise<UnitsIndexStatus> {
  const { index, embedder } = stack;
  const collection = unitsCollection(embedder);
  await index.ensureCollection(collection, unitsSpec(embedder));
  const mine = { must: [{ key: 'embedder', match: embedder.id }] } as const;
  const [units, indexed, all] = await Promise.all([em.fork().count(UnitEntity, {}), index.count(collection, mine), index.count(collection)]);
  return { collection, embedder: embedder.id, units, indexed, stale: all - indexed };
}

/** The whole table in one go (seed script, tests): batches of `batchSize`, then a prune. */
export async function reindexAllUnits(em: EntityManager, stack: VectorStack, batchSize = 200): Promise<number> {
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const r = await indexUnitsBatch(em, stack, after, batchSize);
    total += r.indexed;
    after = r.lastId;
    if (r.done) break;
  }
  await pruneUnitsIndex(em, stack);
  return total;
}
