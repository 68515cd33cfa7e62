import Router from '@koa/router';
import { z } from 'zod';
import { UnitEntity } from '../../db/entities';
import { badRequest } from '../../lib/errors';
import { toUnit } from '../../activities/inventory/postgres-inventory.search';
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

export function inventoryRoutes() {
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
  return router;
}
