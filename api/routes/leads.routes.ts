import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { AuditLogRepository } from '../../db/audit-log.repository';
import { BrokerRepository } from '../../db/broker.repository';
import { LeadRepository } from '../../db/lead.repository';
import { LeadInboxRepository } from '../../db/lead-inbox.repository';
import { LeadListQuery, describeQueryError } from '../../domain/lead-inbox.schema';
import type { Lead } from '../../db/entities';
import { AppError, badRequest, notFound } from '../../lib/errors';
import type { Env } from '../../lib/env';
import type { LeadSnapshot } from '../../domain/lead-snapshot';
import type { LeadState, LeadTask } from '../../domain/lead-state.model';
import { StageSchema, checkStageMove, needsOwner, stageAfterClaim } from '../../domain/lead-stage.rules';
import { LeadSummary, type LeadDetail, type LeadPage } from '../../domain/lead-summary.schema';
import {
  AddTaskInput,
  BrokerMessageInput,
  ClaimInput,
  LEAD_UPDATES,
  MoveStageInput,
  OverrideQualificationInput,
  REJECTION_STATUS,
  isRejectionCode,
} from '../../domain/lead-command.contract';
import { actorOf, can, canSeeLead, checkLeadCommand, type LeadCommand, type Principal } from '../../domain/access.policy';
import { forbidden, principal } from '../middleware/auth';
import { readJson } from '../middleware/raw-body';
import { currentEm } from '../orm';

const LeadIdParam = z.string().uuid();

// What clients may send. `actor` is never among it (the API sets it from the signed-in user);
// a claim without brokerId claims for the caller; `by` is the caller unless a machine client says.
export const ClaimBody = ClaimInput.omit({ actor: true }).extend({ brokerId: ClaimInput.shape.brokerId.optional() });
export const MoveStageBody = MoveStageInput.omit({ actor: true });
export const QualifyBody = OverrideQualificationInput.omit({ actor: true }).extend({ by: OverrideQualificationInput.shape.by.optional() });
export const AddTaskBody = AddTaskInput.omit({ actor: true });
export const BrokerMessageBody = BrokerMessageInput.omit({ actor: true });

/** Checked against the schema the OpenAPI document and the web app share. */
export function leadSummary(lead: Lead): LeadSummary {
  return LeadSummary.parse({
    id: lead.id,
    workflowId: lead.workflowId,
    channel: lead.channel,
    stage: lead.status,
    score: lead.score,
    qualified: lead.qualified,
    ownerId: lead.ownerId,
    market: lead.market,
    contact: { id: lead.contact.id, name: lead.contact.name ?? null, language: lead.contact.language ?? null },
    lastMessageAt: lead.lastMessageAt?.toISOString() ?? null,
    lastMessagePreview: lead.lastMessagePreview,
    nextFollowUpAt: lead.nextFollowUpAt?.toISOString() ?? null,
    slaDueAt: lead.slaDueAt?.toISOString() ?? null,
    alertCount: lead.alertCount ?? 0,
    lastAlertAt: lead.lastAlertAt?.toISOString() ?? null,
    createdAt: lead.createdAt.toISOString(),
  });
}

export function temporalUiUrl(env: Env, workflowId: string) {
  return `${env.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}

export function leadsRoutes(deps: { temporal: Client; env: Env }) {
  const router = new Router();

  router.get('/leads', async (ctx) => {
    const parsed = LeadListQuery.safeParse(ctx.query);
    if (!parsed.success) {
      const { message, details } = describeQueryError(parsed.error);
      throw badRequest(message, details);
    }
    const query = parsed.data;
    const p = principal(ctx);
    const page = { limit: query.limit, offset: query.cursor ? 0 : query.offset };
    if (!can(p, 'leads:see-all') && !p.brokerId) {
      ctx.body = { items: [], total: 0, ...page, nextCursor: null } satisfies LeadPage;
      return;
    }
    const visibleToBroker = can(p, 'leads:see-all') ? undefined : (p.brokerId ?? undefined);
    const result = await new LeadInboxRepository(currentEm()).list({ ...query, visibleToBroker, me: p.brokerId });
    if ('error' in result) throw badRequest('Invalid query: cursor (not from this sort; start again from the first page)', { cursor: 'stale or from another sort' });
    ctx.body = {
      items: result.items.map(({ lead, flags }) => ({ ...leadSummary(lead), ...flags })),
      total: result.total,
      ...page,
      nextCursor: result.nextCursor,
    } satisfies LeadPage;
  });

  router.get('/leads/:id', async (ctx) => {
    const id = LeadIdParam.safeParse(ctx.params.id);
    if (!id.success) throw badRequest('Lead id must be a UUID', { id: ctx.params.id });
    const repo = new LeadRepository(currentEm());
    const lead = await repo.findLead(id.data);
    if (!lead) throw notFound('Lead', { id: id.data });
    // The workflow is the authority on who owns the lead; the row may lag a claim by a moment.
    const workflow = await workflowView(deps, lead.workflowId);
    if (!canSeeLead(principal(ctx), { ownerId: workflow.state ? workflow.state.ownerId : lead.ownerId })) throw forbidden('This lead belongs to another broker', { id: id.data });
    const [profile, qualification, timeline, history] = await Promise.all([
      repo.profileOf(lead.id),
      repo.latestQualification(lead.id),
      repo.timeline(lead.id),
      new AuditLogRepository(currentEm()).forLead(lead.id),
    ]);
    ctx.body = {
      lead: {
        ...leadSummary(lead),
        contact: {
          id: lead.contact.id,
          name: lead.contact.name ?? null,
          language: lead.contact.language ?? null,
          phone: lead.contact.phone ?? null,
          email: lead.contact.email ?? null,
          waId: lead.contact.waId ?? null,
          phoneRaw: lead.contact.phoneRaw && lead.contact.phoneRaw !== lead.contact.phone ? lead.contact.phoneRaw : null,
          claimed: lead.contact.claimedAt
            ? { name: lead.contact.claimedName ?? null, phone: lead.contact.claimedPhone ?? null, email: lead.contact.claimedEmail ?? null, at: lead.contact.claimedAt.toISOString() }
            : null,
          samePersonAsId: lead.contact.samePersonAsId ?? null,
        },
        source: lead.source ?? null,
      },
      profile: profile ? { ...profile, lead: undefined } : null,
      qualification: qualification
        ? { score: qualification.score, qualified: qualification.qualified, breakdown: qualification.breakdown, reasons: qualification.reasons, at: qualification.createdAt.toISOString() }
        : null,
      timeline: timeline.map((a) => ({
        id: a.id,
        type: a.type,
        actor: a.actor,
        direction: a.direction ?? null,
        body: a.body ?? null,
        deliveryStatus: a.deliveryStatus ?? null,
        providerId: a.providerId ?? null,
        meta: a.meta ?? null,
        at: a.createdAt.toISOString(),
      })),
      /** Who did what on this lead (the audit log), with names. */
      history: history.map(({ action, actorName, actorRole, details, at, id }) => ({ id, action, actorName, actorRole, details, at })),
      workflow,
    } satisfies LeadDetail;
  });

  // ---- Commands: each one is a validated workflow update; a rejection keeps the state as it was. ----

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
      const from = StageSchema.safeParse(lead.liveStage ?? lead.status);
      const refusal = from.success ? checkStageMove(p.brokerId ? stageAfterClaim(from.data) : from.data, body.stage) : null;
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

export function authorize(p: Principal, command: LeadCommand, lead: OpenLead, input?: { brokerId?: string; assignee?: string | null }): void {
  const denial = checkLeadCommand(p, command, lead, input);
  if (denial) throw forbidden(denial.message, denial.details);
}

export async function audit(p: Principal, action: string, lead: OpenLead, details: Record<string, unknown>): Promise<void> {
  await new AuditLogRepository(currentEm()).record({ actorId: p.id, actorRole: p.role, action, leadId: lead.id, details });
}

/** An Idempotency-Key header becomes the update id: a retried request gets the first result, not a second change. */
export function updateIdOf(ctx: Context): string | undefined {
  const key = ctx.get('idempotency-key');
  return /^[A-Za-z0-9._:-]{8,100}$/.test(key) ? key : undefined;
}

/** What a command needs of a lead; the owner as the workflow sees it now (the row may lag a claim by a moment). */
export interface OpenLead {
  id: string;
  workflowId: string;
  status: string;
  ownerId: string | null;
  /** The workflow's stage now (the row may lag); null when the workflow could not be asked. */
  liveStage: string | null;
}

export async function openLead(ctx: Context, temporal: Client): Promise<OpenLead> {
  const id = LeadIdParam.safeParse(ctx.params.id);
  if (!id.success) throw badRequest('Lead id must be a UUID', { id: ctx.params.id });
  const lead = await new LeadRepository(currentEm()).findLead(id.data);
  if (!lead) throw notFound('Lead', { id: id.data });
  const open: OpenLead = { id: lead.id, workflowId: lead.workflowId, status: lead.status, ownerId: lead.ownerId ?? null, liveStage: null };
  try {
    const live = await temporal.workflow.getHandle(lead.workflowId).query<LeadState>('state');
    open.ownerId = live.ownerId;
    open.liveStage = live.stage;
  } catch {
    // Not running or unreachable: the update will say so; the row's owner decides access meanwhile.
  }
  return open;
}

export async function parseBody<T>(ctx: Context, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJson(ctx, 64 * 1024));
  if (!parsed.success) throw badRequest('Invalid body', z.treeifyError(parsed.error));
  return parsed.data;
}

/** Runs a workflow update; a validator's or handler's rejection becomes the error envelope with its status. */
export async function runUpdate<R>(temporal: Client, lead: Pick<Lead, 'workflowId'>, name: string, args: [] | [unknown], updateId?: string): Promise<R> {
  const handle = temporal.workflow.getHandle(lead.workflowId);
  const options = updateId ? { updateId } : {};
  try {
    if (args.length === 0) return await handle.executeUpdate<R, []>(name, options);
    return await handle.executeUpdate<R, [unknown]>(name, { ...options, args });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause;
      if (cause instanceof ApplicationFailure && isRejectionCode(cause.type)) {
        const details = cause.details?.[0];
        throw new AppError(cause.type, REJECTION_STATUS[cause.type], cause.message, details && typeof details === 'object' ? (details as Record<string, unknown>) : undefined);
      }
      throw new AppError('update_failed', 409, cause?.message ?? err.message, { update: name });
    }
    if (err instanceof WorkflowNotFoundError) {
      throw new AppError('workflow_not_running', 409, "The lead's workflow is not running", { workflowId: lead.workflowId });
    }
    throw err;
  }
}

async function workflowView(deps: { temporal: Client; env: Env }, workflowId: string) {
  const uiUrl = temporalUiUrl(deps.env, workflowId);
  const handle = deps.temporal.workflow.getHandle(workflowId);
  try {
    const [description, state] = await Promise.all([handle.describe(), handle.query<LeadState>('state')]);
    return { id: workflowId, runId: description.runId, status: description.status.name, uiUrl, state, error: null };
  } catch (err) {
    // The stored lead is still worth showing when Temporal is unreachable or the run is gone.
    const message = err instanceof AppError ? err.message : (err as Error).message;
    return { id: workflowId, runId: null, status: 'UNAVAILABLE', uiUrl, state: null, error: message };
  }
}
