import type { Unit } from '../../domain/profile.schema';
import { seededRandomFor } from '../../domain/seeded-random.generator';

// The sample stock's features, made plausible: a view or a beach only where the area has one (no
// sea view in Stratford), a private garden only on a house, chiller-free only where district
// cooling is a thing. Picked with a PRNG seeded by the unit's id, so every seed, test and eval
// sees the same stock, and the reasons a search gives read like a real listing's.

/** What the place itself offers, per city and area (an area name alone is ambiguous: Chelsea). */
const AREA_FEATURES: Readonly<Record<string, readonly string[]>> = {
  'Dubai|Dubai Marina': ['marina view', 'sea view', 'beach access', 'near metro'],
  'Dubai|Jumeirah Beach Residence': ['sea view', 'beach access', 'marina view'],
  'Dubai|Palm Jumeirah': ['sea view', 'beach access'],
  'Dubai|Downtown Dubai': ['burj view', 'near metro'],
  'Dubai|Business Bay': ['burj view', 'near metro'],
  'Dubai|Dubai Creek Harbour': ['burj view'],
  'Dubai|Jumeirah Lake Towers': ['near metro'],
  'Dubai|Dubai Hills Estate': ['golf view', 'burj view'],
  'Dubai|Arabian Ranches': ['golf view'],
  'Dubai|Al Furjan': ['near metro'],
  'Dubai|Jumeirah Village Circle': [],
  'Dubai|Damac Hills 2': [],
  'Dubai|International City': [],
  'Dubai|Town Square': [],
  'Dubai|Dubai South': [],
  'Dubai|Mohammed Bin Rashid City': ['burj view'],
  'Abu Dhabi|Al Reem Island': ['sea view'],
  'Abu Dhabi|Saadiyat Island': ['sea view', 'beach access'],
  'Abu Dhabi|Yas Island': ['sea view', 'marina view', 'golf view'],
  'Sharjah|Aljada': [],
  'Sharjah|Al Majaz': [],
  'Ras Al Khaimah|Al Marjan Island': ['sea view', 'beach access'],
  'London|Canary Wharf': ['near metro'],
  'London|Shoreditch': ['near metro'],
  'London|Clapham': ['near metro'],
  'London|Kensington': ['near metro'],
  'London|Stratford': ['near metro'],
  'London|Chelsea': ['near metro'],
  'Manchester|Ancoats': [],
  'New York|Brooklyn': ['near metro'],
  'New York|Upper West Side': ['near metro'],
  'New York|Long Island City': ['near metro'],
  'New York|Chelsea': ['near metro'],
  'Miami|Brickell': ['sea view', 'marina view', 'near metro'],
  'Mumbai|Powai': ['near metro'],
  'Mumbai|Bandra': ['sea view', 'near metro'],
  'Bengaluru|Whitefield': ['near metro'],
};

/** What the building or the home offers, by kind of home. */
const HOME_FEATURES: Readonly<Record<string, readonly string[]>> = {
  apartment: ['pool', 'gym', 'balcony', 'covered parking', 'high floor', 'study', 'upgraded kitchen', 'pet friendly'],
  penthouse: ['pool', 'gym', 'balcony', 'covered parking', 'study', 'upgraded kitchen', 'private pool'],
  villa: ['private garden', 'private pool', 'study', 'covered parking', 'upgraded kitchen', 'pet friendly'],
  townhouse: ['private garden', 'study', 'covered parking', 'upgraded kitchen', 'pet friendly', 'pool'],
  office: ['covered parking', 'near metro'],
};

/** Features of a market's homes rather than of a place: district cooling and a maid's room are Gulf (and Indian) things. */
const GULF_CITIES = new Set(['Dubai', 'Abu Dhabi', 'Sharjah', 'Ras Al Khaimah']);
const MAID_ROOM_CITIES = new Set([...GULF_CITIES, 'Mumbai', 'Bengaluru']);

/** A few features (two to six) a unit of this kind, in this place, could really have, sorted as listings show them. */
export function plausibleFeatures(unit: Pick<Unit, 'id' | 'city' | 'area' | 'propertyType' | 'listing' | 'beds'>): string[] {
  const random = seededRandomFor(unit.id);
  const out = new Set<string>();
  for (const f of AREA_FEATURES[`${unit.city}|${unit.area}`] ?? []) if (random() < 0.55) out.add(f);
  const home = [...(HOME_FEATURES[unit.propertyType] ?? HOME_FEATURES.apartment!)];
  if (GULF_CITIES.has(unit.city) && unit.propertyType !== 'office') home.push('chiller free');
  if (MAID_ROOM_CITIES.has(unit.city) && unit.beds >= 2 && unit.propertyType !== 'office') home.push('maid room');
  const wanted = 2 + Math.floor(random() * 4);
  while (out.size < wanted && home.length > 0) out.add(home.splice(Math.floor(random() * home.length), 1)[0]!);
  // Furnishing is said of homes to rent more often than of homes for sale.
  if (unit.propertyType !== 'office' && random() < (unit.listing === 'rent' ? 0.7 : 0.3)) out.add(random() < 0.6 ? 'furnished' : 'unfurnished');
  return [...out].sort();
}

/** The listing's one-line description, in the words the sample stock uses, for the features it has. */
function unitDescription(unit: Pick<Unit, 'completion' | 'propertyType' | 'area' | 'city' | 'beds' | 'areaM2' | 'features'>): string {
  const completion = unit.completion.charAt(0).toUpperCase() + unit.completion.slice(1);
  const beds = unit.beds === 0 ? 'studio' : unit.beds === 1 ? '1 bedroom' : `${unit.beds} bedrooms`;
  return `${completion} ${unit.propertyType} in ${unit.area}, ${unit.city}: ${beds}, ${unit.areaM2} m2, with ${unit.features.join(', ')}.`;
}

/** The unit with plausible features and the description that goes with them. */
export function withPlausibleFeatures<T extends Unit>(unit: T): T {
  const features = plausibleFeatures(unit);
  return { ...unit, features, description: unitDescription({ ...unit, features }) };
}
