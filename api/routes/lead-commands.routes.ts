import Router from '@koa/router';
import { z } from 'zod';
import { type Client } from '@temporalio/client';
import { BrokerRepository } from '../../db/broker.repository';
import { AppError, badRequest } from '../../lib/errors';
import type { LeadSnapshot } from '../../domain/lead-snapshot';
import type { LeadTask } from '../../domain/lead-state.model';
import { checkStageMove, isStage, needsOwner, stageAfterClaim } from '../../domain/lead-stage.rules';
import { REJECTION_STATUS, commandInputs } from '../../domain/lead-command.contract';
import { LEAD_UPDATES } from '../../domain/lead-message-names.contract';
import { actorOf } from '../../domain/access.policy';
import { forbidden, principal } from '../middleware/auth';
import { currentEm } from '../orm';
import { audit, authorize, openLead, parseBody, runUpdate, updateIdOf } from './lead-command.runner';

// Commands on a lead: each one is a validated workflow update; a rejection keeps the state as it was.

// What clients may send. `actor` is never among it (the API sets it from the signed-in user);
// a claim without brokerId claims for the caller; `by` is the caller unless a machine client says.
const { AddTaskInput, BrokerMessageInput, ClaimInput, MoveStageInput, OverrideQualificationInput } = commandInputs();
export const ClaimBody = ClaimInput.omit({ actor: true }).extend({ brokerId: ClaimInput.shape.brokerId.optional() });
export const MoveStageBody = MoveStageInput.omit({ actor: true });
export const QualifyBody = OverrideQualificationInput.omit({ actor: true }).extend({ by: OverrideQualificationInput.shape.by.optional() });
export const AddTaskBody = AddTaskInput.omit({ actor: true });
export const BrokerMessageBody = BrokerMessageInput.omit({ actor: true });

export function leadCommandsRoutes(deps: { temporal: Client }) {
  const router = new Router();

  // Each command: the lead, the caller's right to run it (403 otherwise), the workflow update
  // carrying the caller as `actor`, then one audit row naming who did what.

  router.post('/leads/:id/claim', async (ctx) => {
    const p = principal(ctx);
    const lead = await openLead(ctx, deps.temporal);
    const body = await parseBody(ctx, ClaimBody);
    const brokerId = body.brokerId ?? p.brokerId;
    if (!brokerId) throw badRequest('Say which broker claims the lead (brokerId): you are not linked to a broker');
    authorize(p, 'claim', lead, { brokerId });
    // The broker table is the authority on who exists; the workflow checks again for other callers.
    const broker = await new BrokerRepository(currentEm()).find(brokerId);
    if (!broker || !broker.active) throw new AppError('unknown_broker', 404, `No active broker ${brokerId}`, { brokerId });
    const result = await runUpdate<LeadSnapshot>(deps.temporal, lead, LEAD_UPDATES.claim, [{ brokerId, actor: actorOf(p) }], updateIdOf(ctx));
    await audit(p, 'lead.claim', lead, { brokerId });
    ctx.body = { lead: result };
  });

  router.post('/leads/:id/release', async (ctx) => {
    const p = principal(ctx);
    const lead = await openLead(ctx, deps.temporal);
    authorize(p, 'release', lead);
    const result = await runUpdate<LeadSnapshot>(deps.temporal, lead, LEAD_UPDATES.release, [{ actor: actorOf(p) }], updateIdOf(ctx));
    await audit(p, 'lead.release', lead, { brokerId: lead.ownerId });
    ctx.body = { lead: result };
  });

  router.post('/leads/:id/stage', async (ctx) => {
    const p = principal(ctx);
    const lead = await openLead(ctx, deps.temporal);
    const body = await parseBody(ctx, MoveStageBody);
    // Viewing, negotiation and won are a person's work: an unowned lead gets an owner first. A
    // broker moving it claims it for themselves; anyone else is told to assign it.
    const claimFirst = needsOwner(body.stage) && !lead.ownerId;
    if (claimFirst) {
      // A move the workflow would refuse anyway says so first (and claims nothing: no half-done drop).
      const from = lead.liveStage ?? lead.status;
      const refusal = isStage(from) ? checkStageMove(p.brokerId ? stageAfterClaim(from) : from, body.stage) : null;
      if (refusal) throw new AppError(refusal.code, REJECTION_STATUS[refusal.code], refusal.message, refusal.details);
      if (!p.brokerId) {
        throw new AppError('owner_required', 409, `Assign the lead to a broker before moving it to ${body.stage}`, { stage: body.stage });
      }
      authorize(p, 'claim', lead, { brokerId: p.brokerId });
      await runUpdate<LeadSnapshot>(deps.temporal, lead, LEAD_UPDATES.claim, [{ brokerId: p.brokerId, actor: actorOf(p) }]);
      await audit(p, 'lead.claim', lead, { brokerId: p.brokerId });
      lead.ownerId = p.brokerId;
    }
    authorize(p, 'stage', lead);
    const result = await runUpdate<LeadSnapshot>(deps.temporal, lead, LEAD_UPDATES.moveStage, [{ ...body, actor: actorOf(p) }], updateIdOf(ctx));
    await audit(p, 'lead.stage', lead, { from: lead.status, stage: body.stage });
    ctx.body = { lead: result, ...(claimFirst ? { claimedBy: p.brokerId } : {}) };
  });

  router.post('/leads/:id/qualify', async (ctx) => {
    const p = principal(ctx);
    const lead = await openLead(ctx, deps.temporal);
    const body = await parseBody(ctx, QualifyBody);
    authorize(p, 'qualify', lead);
    // People qualify under their own name; only a machine client may say on whose behalf.
    const self = p.brokerId ?? p.id;
    if (p.role !== 'system' && body.by !== undefined && body.by !== self) throw forbidden('A qualification is recorded under your own name', { by: body.by });
    const by = p.role === 'system' ? (body.by ?? p.id) : self;
    const result = await runUpdate<LeadSnapshot>(deps.temporal, lead, LEAD_UPDATES.overrideQualification, [{ ...body, by, actor: actorOf(p) }], updateIdOf(ctx));
    await audit(p, 'lead.qualify', lead, { qualified: body.qualified, score: body.score ?? null });
    ctx.body = { lead: result };
  });

  router.post('/leads/:id/tasks', async (ctx) => {
    const p = principal(ctx);
    const lead = await openLead(ctx, deps.temporal);
    const body = await parseBody(ctx, AddTaskBody);
    authorize(p, 'tasks', lead, { assignee: body.assignee ?? null });
    const task = await runUpdate<LeadTask>(deps.temporal, lead, LEAD_UPDATES.addTask, [{ ...body, actor: actorOf(p) }], updateIdOf(ctx));
    await audit(p, 'lead.task_add', lead, { taskId: task.id, assignee: task.assignee });
    ctx.status = 201;
    ctx.body = { task };
  });

  router.post('/leads/:id/tasks/:taskId/complete', async (ctx) => {
    const p = principal(ctx);
    const lead = await openLead(ctx, deps.temporal);
    const taskId = z.string().min(1).max(80).safeParse(ctx.params.taskId);
    if (!taskId.success) throw badRequest('Invalid task id', { taskId: ctx.params.taskId });
    authorize(p, 'complete-task', lead);
    const task = await runUpdate<LeadTask>(deps.temporal, lead, LEAD_UPDATES.completeTask, [{ taskId: taskId.data, actor: actorOf(p) }], updateIdOf(ctx));
    await audit(p, 'lead.task_complete', lead, { taskId: task.id });
    ctx.body = { task };
  });

  router.post('/leads/:id/messages', async (ctx) => {
    const p = principal(ctx);
    const lead = await openLead(ctx, deps.temporal);
    const body = await parseBody(ctx, BrokerMessageBody);
    authorize(p, 'messages', lead);
    const message = await runUpdate<{ messageId: string; status: string }>(deps.temporal, lead, LEAD_UPDATES.brokerMessage, [{ ...body, actor: actorOf(p) }], updateIdOf(ctx));
    // The text stays out of the audit log: it is the lead's conversation, kept in the timeline.
    await audit(p, 'lead.message', lead, { messageId: message.messageId, status: message.status });
    ctx.status = 201;
    ctx.body = { message };
  });

  return router;
}
