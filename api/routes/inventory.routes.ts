import Router from '@koa/router';
import type { Logger } from 'pino';
import { z } from 'zod';
import { UnitEntity } from '../../db/entities';
import { badRequest, notFound } from '../../lib/errors';
import type { VectorStack } from '../../lib/vector/vector.factory';
import { toUnit } from '../../activities/inventory/postgres-inventory.search';
import { createHybridInventorySearch } from '../../activities/inventory/hybrid-inventory.search';
import { currentEm } from '../orm';

const InventoryQuery = z.object({
  city: z.string().max(80).optional(),
  area: z.string().max(80).optional(),
  listing: z.enum(['sale', 'rent']).optional(),
  propertyType: z.string().max(40).optional(),
  beds: z.coerce.number().int().min(0).max(20).optional(),
  maxPrice: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const InventorySearchQuery = z.object({
  q: z.string().trim().max(500).optional(),
  listing: z.enum(['sale', 'rent']).optional(),
  city: z.string().trim().min(1).max(80).optional(),
  area: z.string().trim().min(1).max(80).optional(),
  propertyType: z.string().trim().min(1).max(40).optional(),
  beds: z.coerce.number().int().min(0).max(20).optional(),
  /** in the units' own currency */
  maxPrice: z.coerce.number().positive().max(1e11).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

const UnitId = z.string().trim().min(1).max(64);

export function inventoryRoutes(deps: { vectors: VectorStack; logger?: Logger }) {
  const router = new Router();
  router.get('/inventory', async (ctx) => {
    const parsed = InventoryQuery.safeParse(ctx.query);
    if (!parsed.success) throw badRequest('Invalid query', z.treeifyError(parsed.error));
    const q = parsed.data;
    const where: Record<string, unknown> = {};
    if (q.city) where.city = q.city;
    if (q.area) where.area = q.area;
    if (q.listing) where.listing = q.listing;
    if (q.propertyType) where.propertyType = q.propertyType;
    if (q.beds !== undefined) where.beds = q.beds;
    if (q.maxPrice) where.price = { $lte: q.maxPrice };
    const [rows, total] = await currentEm().findAndCount(UnitEntity, where, { orderBy: { id: 'asc' }, limit: q.limit, offset: q.offset });
    ctx.body = { items: rows.map(toUnit), total, limit: q.limit, offset: q.offset };
  });

  // Hybrid search: structured filters, the words in `q`, and the fit ranking, with reasons.
  router.get('/inventory/search', async (ctx) => {
    const parsed = InventorySearchQuery.safeParse(ctx.query);
    if (!parsed.success) throw badRequest('Invalid query', z.treeifyError(parsed.error));
    const q = parsed.data;
    const search = createHybridInventorySearch(currentEm(), deps.vectors, { ...(deps.logger && { logger: deps.logger }) });
    const items = await search({
      text: q.q ?? null,
      listing: q.listing ?? null,
      city: q.city ?? null,
      areas: q.area ? [q.area] : [],
      propertyType: q.propertyType ?? null,
      bedsMin: q.beds ?? null,
      bedsMax: q.beds ?? null,
      budgetMin: null,
      budgetMax: q.maxPrice ?? null,
      currency: null,
      limit: q.limit,
    });
    ctx.body = { items };
  });

  router.get('/inventory/:id', async (ctx) => {
    const id = UnitId.safeParse(ctx.params.id);
    if (!id.success) throw badRequest('Invalid unit id', z.treeifyError(id.error));
    const row = await currentEm().findOne(UnitEntity, { id: id.data });
    if (!row) throw notFound('Unit', { id: id.data });
    ctx.body = toUnit(row);
  });
  return router;
}
