import { type InventoryQuery, type UnitMatch } from '../../domain/agent.types';
import { MARKET_CURRENCY, MARKET_RENT_PERIOD } from '../../domain/budget.parser';
import { cityOfArea, geoMatch } from '../../domain/geo.matcher';
import { whyItFits } from '../../domain/unit-features.matcher';
import { type LeadProfile, type Market } from '../../domain/profile.schema';
import { type InventorySearchArgs, type ModelProfile } from './openai-agent.schema';

// The model's profile and search arguments pass through the domain's canonicalisation before
// anything uses them: the deterministic reading wins, areas and currencies are the known ones.

// ---------------------------------------------------------------- normalisation (domain code)

const KNOWN_CURRENCY = /^(?:AED|USD|GBP|EUR|INR)$/;

function canonicalCity(name: string | null, market: Market): string | null {
  if (!name?.trim()) return null;
  const g = geoMatch(name, market);
  return g.cities[0] ?? g.city;
}

function canonicalAreas(names: readonly string[], market: Market, city: string | null, excluded: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of names.slice(0, 10)) {
    if (typeof n !== 'string' || !n.trim()) continue;
    for (const a of geoMatch(n, market, city).areas) if (!out.includes(a) && !excluded.includes(a)) out.push(a);
  }
  return out;
}

const wholeOrNull = (n: number | null, min: number, max: number): number | null =>
  n === null || !Number.isFinite(n) || n < min || n > max ? null : Math.round(n);

/**
 * The profile the turn reports: the deterministic reading of the conversation wins wherever it
 * found a value (it implements the SPEC rules exactly); the model fills the gaps, passed
 * through the same canonicalisation (areas.json names, currency and period defaults).
 */
export function mergeProfile(det: LeadProfile, excluded: readonly string[], model: ModelProfile | null, market: Market, contactValid: boolean): LeadProfile {
  const p: LeadProfile = { ...det, areas: [...det.areas], contactValid };
  if (!model) return p;
  p.persona ??= model.persona;
  const modelCity = canonicalCity(model.city, market);
  if (p.areas.length === 0) p.areas = canonicalAreas(model.areas, market, p.city ?? modelCity, excluded);
  p.city ??= modelCity ?? (p.areas[0] ? cityOfArea(p.areas[0], market) : null);
  p.propertyType ??= model.propertyType;
  if (p.bedsMin === null && p.bedsMax === null) {
    let [lo, hi] = [wholeOrNull(model.bedsMin, 0, 20), wholeOrNull(model.bedsMax, 0, 20)];
    if (lo !== null && hi !== null && lo > hi) [lo, hi] = [hi, lo];
    p.bedsMin = lo;
    p.bedsMax = hi;
  }
  if (p.propertyType === null && p.bedsMin === 0 && p.bedsMax === 0) p.propertyType = 'apartment';
  if (p.budgetMin === null && p.budgetMax === null) {
    let [lo, hi] = [wholeOrNull(model.budgetMin, 1, 1e11), wholeOrNull(model.budgetMax, 1, 1e11)];
    if (lo !== null && hi !== null && lo > hi) [lo, hi] = [hi, lo];
    if (lo !== null || hi !== null) {
      const cur = model.currency?.trim().toUpperCase() ?? '';
      p.budgetMin = lo;
      p.budgetMax = hi;
      p.currency = KNOWN_CURRENCY.test(cur) ? cur : MARKET_CURRENCY[market];
      p.budgetPeriod = p.persona === 'tenant'
        ? (model.budgetPeriod && model.budgetPeriod !== 'total' ? model.budgetPeriod : MARKET_RENT_PERIOD[market])
        : p.persona ? 'total' : model.budgetPeriod ?? 'total';
    }
  }
  p.timeline ??= model.timeline;
  p.finance ??= model.finance;
  return p;
}

/** The model's search, canonicalised so SQL sees the names and currencies the stock uses. */
export function normaliseQuery(a: InventorySearchArgs, profile: LeadProfile, excluded: readonly string[], listing: 'sale' | 'rent' | null, market: Market): InventoryQuery {
  const askedCity = canonicalCity(a.city, market);
  const areas = canonicalAreas(a.areas, market, askedCity ?? profile.city, excluded);
  const city = askedCity ?? (areas[0] ? cityOfArea(areas[0], market) : null) ?? profile.city;
  let [bedsMin, bedsMax] = [wholeOrNull(a.bedsMin, 0, 20), wholeOrNull(a.bedsMax, 0, 20)];
  if (bedsMin !== null && bedsMax !== null && bedsMin > bedsMax) [bedsMin, bedsMax] = [bedsMax, bedsMin];
  let [budgetMin, budgetMax] = [wholeOrNull(a.budgetMin, 1, 1e11), wholeOrNull(a.budgetMax, 1, 1e11)];
  if (budgetMin !== null && budgetMax !== null && budgetMin > budgetMax) [budgetMin, budgetMax] = [budgetMax, budgetMin];
  const cur = a.currency?.trim().toUpperCase() ?? '';
  const hasBudget = budgetMin !== null || budgetMax !== null;
  return {
    listing: a.listing ?? listing,
    city,
    areas,
    propertyType: a.propertyType,
    bedsMin,
    bedsMax,
    budgetMin,
    budgetMax,
    currency: hasBudget ? (KNOWN_CURRENCY.test(cur) ? cur : profile.currency ?? MARKET_CURRENCY[market]) : null,
    limit: Math.min(10, Math.max(1, Math.round(a.limit ?? 5))),
    ...(a.features?.trim() && { text: a.features.trim().slice(0, 300) }),
  };
}

export const unitForModel = (m: UnitMatch, concepts: readonly string[]) => ({
  id: m.unit.id,
  title: m.unit.title,
  listing: m.unit.listing,
  city: m.unit.city,
  area: m.unit.area,
  propertyType: m.unit.propertyType,
  beds: m.unit.beds,
  baths: m.unit.baths,
  areaM2: m.unit.areaM2,
  price: m.unit.price,
  currency: m.unit.currency,
  rentPeriod: m.unit.rentPeriod ?? null,
  completion: m.unit.completion,
  features: m.unit.features.slice(0, 5),
  matchScore: m.score,
  /** The asked-for features this unit has: what the reply's "Why:" says. */
  why: whyItFits(m.unit, concepts),
});

