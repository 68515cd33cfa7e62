import { describe, expect, it } from 'vitest';
import type { UnitMatch } from './agent.types';
import { scoreLead } from './lead.scorer';
import { emptyProfile } from './profile.defaults';
import type { LeadProfile, Unit } from './profile.schema';

const unit: Unit = {
  id: 'U1', title: '2 bed', listing: 'sale', city: 'Dubai', area: 'Dubai Marina', propertyType: 'apartment', beds: 2, baths: 2, areaM2: 110,
  price: 2_300_000, currency: 'AED', completion: 'ready', features: [], description: '',
};
const match: UnitMatch = { unit, score: 100, reasons: [] };
const full: LeadProfile = {
  persona: 'buyer', city: 'Dubai', areas: ['Dubai Marina'], propertyType: 'apartment', bedsMin: 2, bedsMax: 2, budgetMin: null, budgetMax: 2_500_000,
  currency: 'AED', budgetPeriod: 'total', timeline: '0-3m', finance: 'cash', contactValid: true,
};

describe('scoreLead', () => {
  it('gives every part its points, max and reason, summing to the score', () => {
    const q = scoreLead(full, [match]);
    expect(q.breakdown.map((p) => [p.key, p.max])).toEqual([
      ['location', 20], ['type', 20], ['budget', 25], ['timeline', 12], ['specificity', 8], ['contact', 8], ['finance', 7],
    ]);
    expect(q.score).toBe(q.breakdown.reduce((s, p) => s + p.points, 0));
    expect(q.score).toBe(100);
    expect(q.qualified).toBe(true);
    for (const p of q.breakdown) expect(p.reason.length).toBeGreaterThan(3);
  });

  it('scores fit and budget against the matched stock', () => {
    const pricey = { ...match, unit: { ...unit, price: 4_000_000 } };
    const q = scoreLead(full, [pricey]);
    expect(q.breakdown.find((p) => p.key === 'budget')!.points).toBeLessThan(25);
    const noStock = scoreLead(full, []);
    expect(noStock.breakdown.find((p) => p.key === 'location')!.points).toBeLessThan(20);
  });

  it('does not qualify an empty or browsing lead', () => {
    const q = scoreLead(emptyProfile(), []);
    expect(q.score).toBe(0);
    expect(q.qualified).toBe(false);
    expect(q.reasons[0]).toMatch(/Not qualified/);
  });

  it('qualifies at 60 and uses the contact when given', () => {
    const q = scoreLead({ ...full, contactValid: false }, [match], { name: 'A', phone: '+971501234567', email: null }, 'AE');
    expect(q.breakdown.find((p) => p.key === 'contact')!.points).toBe(8);
    const weak = scoreLead({ ...full, timeline: '12m+', finance: null, areas: [], propertyType: null, bedsMin: null, bedsMax: null }, [match]);
    expect(weak.qualified).toBe(weak.score >= 60);
  });
});
