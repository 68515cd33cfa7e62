import { describe, expect, it } from 'vitest';
import type { InventoryQuery } from '../../domain/agent.types';
import type { Unit } from '../../domain/profile.schema';
import { unitVectorFilter, type HybridInventoryQuery } from '../../activities/inventory/hybrid-inventory.search';
import { unitPayload } from '../../activities/inventory/unit-vector.document';
import { payloadMatches } from '../../lib/vector/vector-index.contract';

// The structured half of hybrid search: which units the filter pushed to the vector index lets
// through. The price band is in each unit's own currency and rent period.

const base: InventoryQuery = { listing: null, city: null, areas: [], propertyType: null, bedsMin: null, bedsMax: null, budgetMin: null, budgetMax: null, currency: null, limit: 5 };
const unit = (over: Partial<Unit>): Unit => ({
  id: 'U1', title: 't', listing: 'sale', city: 'Dubai', area: 'Dubai Marina', propertyType: 'apartment', beds: 2, baths: 2, areaM2: 100,
  price: 1_000_000, currency: 'AED', rentPeriod: null, completion: 'ready', features: [], description: '', ...over,
});
const passes = (q: HybridInventoryQuery, u: Unit) => payloadMatches(unitPayload(u, 'emb'), unitVectorFilter(q, 'emb'));

describe('hybrid search filter', () => {
  it('keeps the listing, city, type and beds within one of the asked range', () => {
    const q = { ...base, listing: 'sale' as const, city: 'Dubai', propertyType: 'apartment', bedsMin: 2, bedsMax: 2 };
    expect(passes(q, unit({}))).toBe(true);
    expect(passes(q, unit({ beds: 3 }))).toBe(true);
    expect(passes(q, unit({ beds: 4 }))).toBe(false);
    expect(passes(q, unit({ listing: 'rent', rentPeriod: 'year' }))).toBe(false);
    expect(passes(q, unit({ city: 'London', currency: 'GBP' }))).toBe(false);
    expect(passes(q, unit({ propertyType: 'villa' }))).toBe(false);
    expect(payloadMatches(unitPayload(unit({}), 'other-embedder'), unitVectorFilter(q, 'emb'))).toBe(false);
  });

  it('uses the areas when no city is given', () => {
    const q = { ...base, areas: ['Dubai Marina', 'Chelsea'] };
    expect(passes(q, unit({}))).toBe(true);
    expect(passes(q, unit({ area: 'Downtown Dubai' }))).toBe(false);
  });

  it('converts a budget into each unit currency, up to the ranker tolerance of 25% over', () => {
    const q = { ...base, budgetMax: 1_000_000, currency: 'USD' };
    // 1M USD is about 3.67M AED; 25% over is about 4.59M AED
    expect(passes(q, unit({ price: 4_500_000 }))).toBe(true);
    expect(passes(q, unit({ price: 4_700_000 }))).toBe(false);
    expect(passes(q, unit({ price: 1_200_000, currency: 'USD', city: 'New York' }))).toBe(true);
    expect(passes(q, unit({ price: 1_300_000, currency: 'USD', city: 'New York' }))).toBe(false);
    expect(passes(q, unit({ price: 950_000, currency: 'GBP', city: 'London' }))).toBe(true);
    // a currency the ranker cannot convert is compared as it is
    expect(passes(q, unit({ price: 1_100_000, currency: 'CHF' }))).toBe(true);
    // no currency on the budget: the unit's own
    expect(passes({ ...base, budgetMax: 1_000_000 }, unit({ price: 1_240_000 }))).toBe(true);
    expect(passes({ ...base, budgetMin: 2_000_000 }, unit({ price: 900_000 }))).toBe(false);
  });

  it('converts a monthly rent budget into yearly rents and back', () => {
    const q: HybridInventoryQuery = { ...base, listing: 'rent', budgetMax: 10_000, currency: 'AED', budgetPeriod: 'month' };
    expect(passes(q, unit({ listing: 'rent', rentPeriod: 'year', price: 140_000 }))).toBe(true);
    expect(passes(q, unit({ listing: 'rent', rentPeriod: 'year', price: 160_000 }))).toBe(false);
    expect(passes(q, unit({ listing: 'rent', rentPeriod: 'month', price: 12_000 }))).toBe(true);
    expect(passes(q, unit({ listing: 'rent', rentPeriod: 'month', price: 13_000 }))).toBe(false);
  });
});
