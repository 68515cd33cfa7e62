import Router from '@koa/router';
import { z } from 'zod';
import { LeadMemoryRepository } from '../../db/lead-memory.repository';
import { LeadRepository } from '../../db/lead.repository';
import { canSeeLead } from '../../domain/access.policy';
import { LeadMemoryList } from '../../domain/lead-memory.schema';
import { badRequest, notFound } from '../../lib/errors';
import { forbidden, principal } from '../middleware/auth';
import { currentEm } from '../orm';

// What the agent remembers about a lead (facts and preferences with the message each came
// from): for signed-in users who may see the lead, and machine clients.

const Params = z.object({ id: z.uuid() });
/** A lead's memories stay short; more than this is a lead nobody reads item by item. */
const MAX_LISTED = 500;

export function leadMemoriesRoutes() {
  const router = new Router();
  router.get('/leads/:id/memories', async (ctx) => {
    const params = Params.safeParse(ctx.params);
    if (!params.success) throw badRequest('Lead id must be a UUID', { id: ctx.params.id });
    const lead = await new LeadRepository(currentEm()).findLead(params.data.id);
    if (!lead) throw notFound('Lead', { id: params.data.id });
    if (!canSeeLead(principal(ctx), { ownerId: lead.ownerId })) throw forbidden('This lead belongs to another broker', { id: lead.id });
    const rows = await new LeadMemoryRepository(currentEm()).recent(lead.id, MAX_LISTED);
    ctx.body = LeadMemoryList.parse({ items: rows.map((m) => ({ id: m.id, kind: m.kind, text: m.text, messageId: m.messageProviderId, at: m.createdAt })) });
  });
  return router;
}
