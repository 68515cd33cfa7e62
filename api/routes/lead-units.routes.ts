import Router from '@koa/router';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { toUnit } from '../../activities/inventory/postgres-inventory.search';
import { UnitEntity } from '../../db/entities';
import { LeadMemoryRepository } from '../../db/lead-memory.repository';
import { LeadRepository } from '../../db/lead.repository';
import { actorOf } from '../../domain/access.policy';
import { LEAD_UPDATES } from '../../domain/lead-message-names.contract';
import { unitShareText } from '../../domain/unit-share.copy';
import { askedFeatures, whyItFits } from '../../domain/unit-features.matcher';
import { notFound } from '../../lib/errors';
import { principal } from '../middleware/auth';
import { currentEm } from '../orm';
import { audit, authorize, openLead, parseBody, runUpdate, updateIdOf } from './lead-command.runner';

// "Send to lead": a broker shares one unit from stock with a lead. It goes out as the broker's
// message through the lead's workflow (so the lead's channel, opt-out and ownership rules hold,
// and the conversation has it), with why it fits what the lead asked for, and a `unit_sent`
// row on the timeline names the unit.

export const SendUnitBody = z.object({ unitId: z.string().trim().min(1).max(64) }).strict();

export function leadUnitsRoutes(deps: { temporal: Client }) {
  const router = new Router();
  router.post('/leads/:id/units', async (ctx) => {
    const p = principal(ctx);
    const lead = await openLead(ctx, deps.temporal);
    const body = await parseBody(ctx, SendUnitBody);
    authorize(p, 'messages', lead);
    const row = await currentEm().findOne(UnitEntity, { id: body.unitId });
    if (!row) throw notFound('Unit', { id: body.unitId });
    const unit = toUnit(row);
    // what the lead asked for, as the agent remembered it: the reason the unit is sent
    const remembered = (await new LeadMemoryRepository(currentEm()).recent(lead.id, 50)).filter((m) => m.kind === 'preference').map((m) => m.text);
    const why = whyItFits(unit, askedFeatures(remembered).concepts);
    const text = unitShareText(unit, why);
    const message = await runUpdate<{ messageId: string; status: string }>(deps.temporal, lead, LEAD_UPDATES.brokerMessage, [{ text, actor: actorOf(p) }], updateIdOf(ctx));
    await new LeadRepository(currentEm()).recordLeadEvent({
      leadId: lead.id,
      type: 'unit_sent',
      actor: p.role,
      body: `Sent ${unit.title} (${unit.id})${why.length > 0 ? `: ${why.join(', ')}` : ''}`,
      idempotencyKey: `unit-sent:${lead.id}:${message.messageId}`,
      meta: { unitId: unit.id, messageId: message.messageId, status: message.status, why, by: { id: p.id, role: p.role } },
    });
    await audit(p, 'lead.unit_sent', lead, { unitId: unit.id, messageId: message.messageId, status: message.status });
    ctx.status = 201;
    ctx.body = { message, unit: { id: unit.id, title: unit.title }, why };
  });
  return router;
}
