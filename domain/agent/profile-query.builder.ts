import { type InventoryQuery } from '../agent.types';
import { type LeadProfile } from '../profile.schema';

// Both agents search stock with the lead's profile the same way: the offline agent on every turn,
// the OpenAI agent when the model searched nothing itself.

/** Sale or rent from who the lead is; the conversation's own reading when the persona says nothing. */
export function listingOf(p: LeadProfile, fallback: 'sale' | 'rent' | null): 'sale' | 'rent' | null {
  if (p.persona === 'tenant') return 'rent';
  if (p.persona === 'buyer' || p.persona === 'investor') return 'sale';
  return fallback;
}

/** The stock search for a profile, with the features the lead asked for as free text. */
export function profileQuery(p: LeadProfile, listing: 'sale' | 'rent' | null, features: string): InventoryQuery {
  return {
    listing, city: p.city, areas: p.areas, propertyType: p.propertyType, bedsMin: p.bedsMin, bedsMax: p.bedsMax,
    budgetMin: p.budgetMin, budgetMax: p.budgetMax, currency: p.currency, limit: 5,
    ...(features && { text: features }),
  };
}
