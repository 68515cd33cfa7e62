import type { InventoryQuery, UnitMatch } from './agent.types';
import type { Unit } from './profile.schema';

// Pure ranking of units against what the lead asked for. The Postgres-backed search narrows
// the candidates with SQL (listing, city, price band) and then calls rankUnits, so the offline
// eval and production rank the same way.

/** Approximate value of one unit of each currency in USD: budgets in another currency than the
 *  stock (a "$500k" lead in Dubai) are compared after conversion. AED is pegged; others are
 *  rounded reference rates, good enough for ranking, never shown as prices. */
const USD_PER: Readonly<Record<string, number>> = { USD: 1, AED: 1 / 3.6725, GBP: 1.27, EUR: 1.08, INR: 1 / 83 };

export function convertAmount(amount: number, from: string, to: string): number {
  if (from === to) return amount;
  const a = USD_PER[from];
  const b = USD_PER[to];
  if (a === undefined || b === undefined) return amount;
  return (amount * a) / b;
}

export interface RankOptions {
  /** Period the budget is expressed in; rent budgets are converted to the unit's rent period. */
  budgetPeriod?: 'total' | 'year' | 'month' | null;
}

function budgetInUnitTerms(q: InventoryQuery, unit: Unit, opts: RankOptions): { min: number | null; max: number | null } {
  const conv = (v: number | null): number | null => {
    if (v === null) return null;
    let x = q.currency ? convertAmount(v, q.currency, unit.currency) : v;
    if (unit.listing === 'rent' && opts.budgetPeriod && opts.budgetPeriod !== 'total' && unit.rentPeriod && unit.rentPeriod !== opts.budgetPeriod) {
      x = opts.budgetPeriod === 'month' ? x * 12 : x / 12;
    }
    return x;
  };
  return { min: conv(q.budgetMin), max: conv(q.budgetMax) };
}

function bedsFit(q: InventoryQuery, beds: number): 'exact' | 'near' | 'off' | 'any' {
  if (q.bedsMin === null && q.bedsMax === null) return 'any';
  const lo = q.bedsMin ?? 0;
  const hi = q.bedsMax ?? Infinity;
  if (beds >= lo && beds <= hi) return 'exact';
  if (beds === lo - 1 || beds === hi + 1) return 'near';
  return 'off';
}

/** How well the price sits in the budget: 1 inside, falling to 0 at 25% outside. */
export function priceFit(price: number, min: number | null, max: number | null): number {
  if (min === null && max === null) return 0.5;
  if (max !== null && price > max) return Math.max(0, 1 - (price - max) / (max * 0.25));
  if (min !== null && price < min) return Math.max(0, 1 - (min - price) / (min * 0.5));
  return 1;
}

/**
 * Scores every unit 0-100 (area 30, type 20, beds 20, budget 30), keeps those of the right
 * listing and city, and returns the best `query.limit`, each with the reasons it fits.
 */
export function rankUnits(units: readonly Unit[], query: InventoryQuery, opts: RankOptions = {}): UnitMatch[] {
  const out: UnitMatch[] = [];
  for (const unit of units) {
    if (query.listing && unit.listing !== query.listing) continue;
    if (query.city && unit.city !== query.city) continue;
    if (!query.city && query.areas.length > 0 && !query.areas.includes(unit.area)) continue;
    const reasons: string[] = [];
    let score = 0;
    if (query.areas.length === 0) score += query.city ? 15 : 0;
    else if (query.areas.includes(unit.area)) { score += 30; reasons.push(`in ${unit.area}`); }
    if (query.propertyType === null) score += 10;
    else if (unit.propertyType === query.propertyType) { score += 20; reasons.push(unit.propertyType); }
    const bf = bedsFit(query, unit.beds);
    if (bf === 'exact') { score += 20; reasons.push(unit.beds === 0 ? 'studio' : `${unit.beds} bed`); }
    else if (bf === 'near') score += 8;
    else if (bf === 'any') score += 10;
    const b = budgetInUnitTerms(query, unit, opts);
    const pf = priceFit(unit.price, b.min, b.max);
    score += Math.round(pf * 30);
    if (pf === 1 && (b.min !== null || b.max !== null)) reasons.push('within budget');
    else if (pf > 0 && pf < 1) reasons.push('slightly outside budget');
    out.push({ unit, score: Math.min(100, score), reasons });
  }
  out.sort((a, b) => b.score - a.score || a.unit.price - b.unit.price || a.unit.id.localeCompare(b.unit.id));
  return out.slice(0, Math.max(0, query.limit));
}
