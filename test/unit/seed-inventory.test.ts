import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Unit } from '../../domain/profile.schema';
import { inventoryFile, loadInventory } from '../../db/seeders/database.seeder';
import { plausibleFeatures } from '../../db/seeders/unit-features.seeder';

const COASTAL = new Set(['Dubai Marina', 'Jumeirah Beach Residence', 'Palm Jumeirah', 'Al Reem Island', 'Saadiyat Island', 'Yas Island', 'Al Marjan Island', 'Brickell', 'Bandra']);

describe('seeded inventory features', () => {
  const units = loadInventory();

  it('are the ones db/seeds/inventory.json holds, so tests reading the file see the seeded stock', () => {
    const file = Unit.array().parse(JSON.parse(readFileSync(inventoryFile, 'utf8')));
    expect(file).toEqual(units);
  });

  it('are the same on every run (seeded by the unit id)', () => {
    for (const u of units.slice(0, 50)) expect(plausibleFeatures(u)).toEqual(plausibleFeatures({ ...u }));
  });

  it('fit the place and the home: the sea only on the coast, gardens only on houses', () => {
    const wrong = units.flatMap((u) => [
      ...(['sea view', 'beach access'].some((f) => u.features.includes(f)) && !COASTAL.has(u.area) ? [`${u.id} ${u.area}: sea`] : []),
      ...(u.features.includes('burj view') && u.city !== 'Dubai' ? [`${u.id} ${u.city}: burj view`] : []),
      ...(u.features.includes('private garden') && !['villa', 'townhouse'].includes(u.propertyType) ? [`${u.id} ${u.propertyType}: garden`] : []),
      ...(u.features.includes('furnished') && u.features.includes('unfurnished') ? [`${u.id}: furnished and not`] : []),
    ]);
    expect(wrong).toEqual([]);
    expect(units.find((u) => u.area === 'Stratford' && u.features.includes('sea view'))).toBeUndefined();
    // and the coast does have its views: searches for them still find stock
    expect(units.filter((u) => u.area === 'Dubai Marina' && u.features.includes('sea view')).length).toBeGreaterThan(3);
  });
});
