import type { EntityManager } from '@mikro-orm/postgresql';
import type { InventoryQuery, UnitMatch } from '../../domain/agent.types';
import type { Unit } from '../../domain/profile.schema';
import { rankUnits } from '../../domain/inventory.matcher';
import { UnitEntity, type UnitRow } from '../../db/entities';

// SQL narrows the stock with the indexed columns; the pure ranker (the same one the evals
// use over a JSON inventory) orders what is left, so both paths score units alike.
export function createPostgresInventorySearch(em: EntityManager) {
  return async function inventorySearch(query: InventoryQuery): Promise<UnitMatch[]> {
    const where: Record<string, unknown> = {};
    if (query.listing) where.listing = query.listing;
    if (query.city) where.city = query.city;
    if (query.propertyType) where.propertyType = query.propertyType;
    if (query.budgetMax) where.price = { $lte: Math.round(query.budgetMax * 1.25) };
    const rows = await em.fork().find(UnitEntity, where, { limit: 500, orderBy: { price: 'asc' } });
    return rankUnits(rows.map(toUnit), query);
  };
}

export function toUnit(row: UnitRow): Unit {
  return {
    id: row.id,
    title: row.title,
    listing: row.listing as Unit['listing'],
    city: row.city,
    area: row.area,
    propertyType: row.propertyType as Unit['propertyType'],
    beds: row.beds,
    baths: row.baths,
    areaM2: Number(row.areaM2),
    price: Number(row.price),
    currency: row.currency,
    rentPeriod: (row.rentPeriod ?? null) as Unit['rentPeriod'],
    completion: row.completion as Unit['completion'],
    features: row.features,
    description: row.description,
  };
}
