import areasData from './data/areas.json' with { type: 'json' };

// A shared location pin names an area only by where it is: the nearest area centroid in
// areas.json, within the area's radius (default PIN_RADIUS_KM). The pin's name and address are
// someone else's words (a café, a ZIP code) and are never read.

interface CityJson { name: string; areas: Array<{ name: string; centroid?: number[]; radiusKm?: number }> }

/** A pin further than this from every area centroid names no area (areas.json may widen it per area). */
export const PIN_RADIUS_KM = 2.5;

function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface PinMatch { area: string; city: string; km: number }

/** The known area nearest a shared location pin, within its radius; null when none is close enough. */
export function nearestArea(latitude: number, longitude: number): PinMatch | null {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  let best: PinMatch | null = null;
  for (const c of (areasData as { cities: CityJson[] }).cities) {
    for (const a of c.areas) {
      const [lat, lon] = a.centroid ?? [];
      if (lat === undefined || lon === undefined) continue;
      const km = haversineKm(latitude, longitude, lat, lon);
      if (km > (a.radiusKm ?? PIN_RADIUS_KM)) continue;
      if (!best || km < best.km) best = { area: a.name, city: c.name, km };
    }
  }
  return best;
}
