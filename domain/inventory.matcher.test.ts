import { describe, expect, it } from 'vitest';
import type { InventoryQuery } from './agent.types';
import { convertAmount, rankUnits } from './inventory.matcher';
import type { Unit } from './profile.schema';

const unit = (over: Partial<Unit>): Unit => ({
  id: 'U', title: 't', listing: 'sale', city: 'Dubai', area: 'Dubai Marina', propertyType: 'apartment', beds: 2, baths: 2, areaM2: 100,
  price: 2_000_000, currency: 'AED', completion: 'ready', features: [], description: '', ...over,
});
const q = (over: Partial<InventoryQuery>): InventoryQuery => ({
  listing: 'sale', city: 'Dubai', areas: [], propertyType: null, bedsMin: null, bedsMax: null, budgetMin: null, budgetMax: null, currency: 'AED', limit: 5, ...over,
});

describe('rankUnits', () => {
  const units = [
    unit({ id: 'A', area: 'Dubai Marina', beds: 2, price: 2_400_000 }),
    unit({ id: 'B', area: 'Business Bay', beds: 2, price: 2_000_000 }),
    unit({ id: 'C', area: 'Dubai Marina', beds: 3, price: 3_900_000 }),
    unit({ id: 'D', area: 'Dubai Marina', beds: 2, price: 150_000, listing: 'rent', rentPeriod: 'year' }),
    unit({ id: 'E', city: 'London', area: 'Chelsea', currency: 'GBP', price: 900_000 }),
  ];

  it('ranks area, beds and budget fit first and filters listing and city', () => {
    const r = rankUnits(units, q({ areas: ['Dubai Marina'], bedsMin: 2, bedsMax: 2, budgetMax: 2_500_000 }));
    expect(r.map((m) => m.unit.id)).toEqual(['A', 'B', 'C']);
    expect(r[0]!.reasons).toEqual(expect.arrayContaining(['in Dubai Marina', '2 bed', 'within budget']));
    expect(r[0]!.score).toBeGreaterThan(r[1]!.score);
  });

  it('respects the limit and the listing', () => {
    expect(rankUnits(units, q({ limit: 1 }))).toHaveLength(1);
    expect(rankUnits(units, q({ listing: 'rent' })).map((m) => m.unit.id)).toEqual(['D']);
  });

  it('compares budgets in another currency and period after conversion', () => {
    const r = rankUnits(units, q({ areas: ['Dubai Marina'], budgetMax: 700_000, currency: 'USD' }));
    expect(r[0]!.unit.id).toBe('A');
    const rent = rankUnits(units, q({ listing: 'rent', budgetMax: 13_000, currency: 'AED' }), { budgetPeriod: 'month' });
    expect(rent[0]!.reasons).toContain('within budget');
    expect(convertAmount(100, 'AED', 'AED')).toBe(100);
    expect(Math.round(convertAmount(3.6725, 'AED', 'USD'))).toBe(1);
  });
});
