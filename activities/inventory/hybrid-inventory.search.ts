import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { InventoryQuery, UnitMatch } from '../../domain/agent.types';
import { convertAmount, rankUnits } from '../../domain/inventory.matcher';
import { UnitEntity } from '../../db/entities';
import { conceptsIn } from '../../domain/real-estate.synonyms';
import type { Condition, VectorFilter, VectorHit } from '../../lib/vector/vector-index.contract';
import type { VectorStack } from '../../lib/vector/vector.factory';
import { createPostgresInventorySearch, toUnit } from './postgres-inventory.search';
import { unitDocument, unitsCollection } from './unit-vector.document';

// Hybrid inventory search: the structured part of the query becomes a filter pushed down to the
// vector index (listing, city or areas, type, beds within one, a price band in each unit's own
// currency and rent period), the lead's words are embedded and matched against the units' text,
// and the survivors are re-ranked by the same fit ranker as the Postgres search, blended with
// how much of what was asked for the unit has. Same call shape as the Postgres search, so the
// agent's inventory_search tool takes either; without words it is the Postgres search.

export type HybridInventoryQuery = InventoryQuery & {
  /** Period a rent budget is expressed in; converted to each unit's rent period. */
  budgetPeriod?: 'total' | 'year' | 'month' | null;
};

export interface HybridMatch extends UnitMatch {
  match: {
    /** the fit ranker's 0-100 score (area, type, beds, budget) */
    fit: number;
    /** cosine similarity of the unit's text to the asked words; null without words */
    similarity: number | null;
    /** asked-for features the unit has, and those it lacks */
    features: string[];
    missing: string[];
  };
}

/** Currencies the ranker converts between (domain/inventory.matcher); others compare unconverted. */
const CURRENCIES = ['AED', 'USD', 'GBP', 'EUR', 'INR'] as const;
/** The ranker gives price points down to 25% over the maximum and 50% under the minimum. */
const OVER_MAX = 1.25;
const UNDER_MIN = 0.5;

function band(q: HybridInventoryQuery, currency: string | null, period: 'total' | 'year' | 'month' | null): Condition[] {
  const conv = (v: number) => {
    let x = q.currency && currency ? convertAmount(v, q.currency, currency) : v;
    if (period && period !== 'total' && q.budgetPeriod && q.budgetPeriod !== 'total' && period !== q.budgetPeriod) x = q.budgetPeriod === 'month' ? x * 12 : x / 12;
    return x;
  };
  const range = {
    ...(q.budgetMin !== null && { gte: Math.floor(conv(q.budgetMin) * UNDER_MIN) }),
    ...(q.budgetMax !== null && { lt: Math.ceil(conv(q.budgetMax) * OVER_MAX) }),
  };
  const out: Condition[] = [{ key: 'price', range }];
  if (currency) out.push({ key: 'currency', match: currency });
  if (period) out.push({ key: 'period', match: period });
  return out;
}

function priceBands(q: HybridInventoryQuery): Condition | null {
  if (q.budgetMin === null && q.budgetMax === null) return null;
  const periods = q.listing !== 'sale' && (q.budgetPeriod === 'year' || q.budgetPeriod === 'month') ? (['total', 'year', 'month'] as const) : [null];
  const should: Condition[] = [];
  for (const period of periods) {
    if (!q.currency) {
      should.push({ filter: { must: band(q, null, period) } });
      continue;
    }
    for (const c of CURRENCIES) should.push({ filter: { must: band(q, c, period) } });
    should.push({ filter: { must: band(q, null, period), mustNot: [{ key: 'currency', any: CURRENCIES }] } });
  }
  return { filter: { should } };
}

export function unitVectorFilter(q: HybridInventoryQuery, embedderId: string): VectorFilter {
  const must: Condition[] = [{ key: 'embedder', match: embedderId }];
  if (q.listing) must.push({ key: 'listing', match: q.listing });
  if (q.city) must.push({ key: 'city', match: q.city });
  else if (q.areas.length > 0) must.push({ key: 'area', any: q.areas });
  if (q.propertyType) must.push({ key: 'type', match: q.propertyType });
  if (q.bedsMin !== null || q.bedsMax !== null) {
    must.push({ key: 'beds', range: { ...(q.bedsMin !== null && { gte: q.bedsMin - 1 }), ...(q.bedsMax !== null && { lte: q.bedsMax + 1 }) } });
  }
  const price = priceBands(q);
  if (price) must.push(price);
  return { must };
}

const byScore = (a: HybridMatch, b: HybridMatch) => b.score - a.score || a.unit.price - b.unit.price || a.unit.id.localeCompare(b.unit.id);

export function createHybridInventorySearch(em: EntityManager, stack: VectorStack, opts: { logger?: Logger } = {}) {
  const structured = createPostgresInventorySearch(em);
  const structuredOnly = async (q: HybridInventoryQuery): Promise<HybridMatch[]> =>
    (await structured(q)).map((m) => ({ ...m, match: { fit: m.score, similarity: null, features: [], missing: [] } }));

  return async function inventorySearch(query: HybridInventoryQuery): Promise<HybridMatch[]> {
    const text = query.text?.trim();
    if (!text) return structuredOnly(query);
    let hits: VectorHit[];
    try {
      const [vector] = await stack.embedder.embed([text]);
      hits = await stack.index.search(unitsCollection(stack.embedder), vector!, {
        filter: unitVectorFilter(query, stack.embedder.id),
        limit: Math.max(50, query.limit * 5),
      });
    } catch (err) {
      // an index not built yet or a Qdrant outage degrades to the structured search, not to an error
      opts.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'vector search unavailable; structured inventory search only');
      return structuredOnly(query);
    }
    if (hits.length === 0) return structuredOnly(query);

    const rows = await em.fork().find(UnitEntity, { id: { $in: hits.map((h) => h.id) } });
    const units = rows.map(toUnit);
    const ranked = rankUnits(units, { ...query, limit: units.length }, { budgetPeriod: query.budgetPeriod ?? null });
    const similarity = new Map(hits.map((h) => [h.id, h.score]));
    const best = Math.max(1e-9, ...hits.map((h) => h.score));
    const asked = conceptsIn(text);
    const out = ranked.map((m): HybridMatch => {
      const has = new Set(conceptsIn(unitDocument(m.unit)));
      const features = asked.filter((c) => has.has(c));
      const missing = asked.filter((c) => !has.has(c));
      const sim = similarity.get(m.unit.id) ?? 0;
      const closeness = Math.max(0, sim / best);
      // named features weigh more than raw similarity: they are what the lead will check first
      const relevance = asked.length > 0 ? 0.6 * (features.length / asked.length) + 0.4 * closeness : closeness;
      return {
        unit: m.unit,
        score: Math.round(0.6 * m.score + 40 * relevance),
        reasons: [...m.reasons, ...features],
        match: { fit: m.score, similarity: Math.round(sim * 1000) / 1000, features, missing },
      };
    });
    return out.sort(byScore).slice(0, Math.max(0, query.limit));
  };
}
