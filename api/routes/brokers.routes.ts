import Router from '@koa/router';
import { z } from 'zod';
import { BrokerRepository } from '../../db/broker.repository';
import { badRequest } from '../../lib/errors';
import { currentEm } from '../orm';

export const ListBrokersQuery = z.object({
  /** `true`: only brokers who can take a lead now (active and not paused). */
  available: z.enum(['true', 'false']).optional(),
});

// The broker app needs names to claim a lead and to assign tasks; the broker table is the
// authority, so the list comes from it rather than from any workflow state.
export function brokersRoutes() {
  const router = new Router();
  router.get('/brokers', async (ctx) => {
    const parsed = ListBrokersQuery.safeParse(ctx.query);
    if (!parsed.success) throw badRequest('Invalid query', z.treeifyError(parsed.error));
    const brokers = await new BrokerRepository(currentEm()).list();
    const items = brokers
      .filter((b) => parsed.data.available !== 'true' || (b.active && !b.paused))
      .map((b) => ({ id: b.id, name: b.name, active: b.active, paused: b.paused }));
    ctx.body = { items, total: items.length };
  });
  return router;
}
