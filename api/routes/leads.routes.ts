import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { BrokerRepository } from '../../db/broker.repository';
import { LeadRepository } from '../../db/lead.repository';
import type { Lead } from '../../db/entities';
import { AppError, badRequest, notFound } from '../../lib/errors';
import type { Env } from '../../lib/env';
import type { LeadSnapshot } from '../../domain/lead-snapshot';
import type { LeadState, LeadTask } from '../../domain/lead-state.model';
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
import { readJson } from '../middleware/raw-body';
import { currentEm } from '../orm';

export const ListLeadsQuery = z.object({
  status: z.string().min(1).max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const LeadIdParam = z.string().uuid();

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
    contact: { id: lead.contact.id, name: lead.contact.name ?? null },
    lastMessageAt: lead.lastMessageAt?.toISOString() ?? null,
    lastMessagePreview: lead.lastMessagePreview,
    nextFollowUpAt: lead.nextFollowUpAt?.toISOString() ?? null,
    slaDueAt: lead.slaDueAt?.toISOString() ?? null,
    createdAt: lead.createdAt.toISOString(),
  });
}

export function temporalUiUrl(env: Env, workflowId: string) {
  return `${env.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}

export function leadsRoutes(deps: { temporal: Client; env: Env }) {
  const router = new Router();

  router.get('/leads', async (ctx) => {
    const parsed = ListLeadsQuery.safeParse(ctx.query);
    if (!parsed.success) throw badRequest('Invalid query', z.treeifyError(parsed.error));
    const { items, total } = await new LeadRepository(currentEm()).listLeads(parsed.data);
    ctx.body = { items: items.map(leadSummary), total, limit: parsed.data.limit, offset: parsed.data.offset } satisfies LeadPage;
  });

  router.get('/leads/:id', async (ctx) => {
    const id = LeadIdParam.safeParse(ctx.params.id);
    if (!id.success) throw badRequest('Lead id must be a UUID', { id: ctx.params.id });
    const repo = new LeadRepository(currentEm());
    const lead = await repo.findLead(id.data);
    if (!lead) throw notFound('Lead', { id: id.data });
    const [profile, qualification, timeline] = await Promise.all([
      repo.profileOf(lead.id),
      repo.latestQualification(lead.id),
      repo.timeline(lead.id),
    ]);
    ctx.body = {
      lead: {
        ...leadSummary(lead),
        contact: {
          id: lead.contact.id,
          name: lead.contact.name ?? null,
          phone: lead.contact.phone ?? null,
          email: lead.contact.email ?? null,
          waId: lead.contact.waId ?? null,
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
        meta: a.meta ?? null,
        at: a.createdAt.toISOString(),
      })),
      workflow: await workflowView(deps, lead.workflowId),
    } satisfies LeadDetail;
  });

  // ---- Commands: each one is a validated workflow update; a rejection keeps the state as it was. ----

  router.post('/leads/:id/claim', async (ctx) => {
    const lead = await openLead(ctx);
    const body = await parseBody(ctx, ClaimInput);
    // The broker table is the authority on who exists; the workflow checks again for other callers.
    const broker = await new BrokerRepository(currentEm()).find(body.brokerId);
    if (!broker || !broker.active) throw new AppError('unknown_broker', 404, `No active broker ${body.brokerId}`, { brokerId: body.brokerId });
    ctx.body = { lead: await runUpdate<LeadSnapshot>(deps.temporal, lead, LEAD_UPDATES.claim, [body], updateIdOf(ctx)) };
  });

  router.post('/leads/:id/release', async (ctx) => {
    const lead = await openLead(ctx);
    ctx.body = { lead: await runUpdate<LeadSnapshot>(deps.temporal, lead, LEAD_UPDATES.release, [], updateIdOf(ctx)) };
  });

  router.post('/leads/:id/stage', async (ctx) => {
    const lead = await openLead(ctx);
    const body = await parseBody(ctx, MoveStageInput);
    ctx.body = { lead: await runUpdate<LeadSnapshot>(deps.temporal, lead, LEAD_UPDATES.moveStage, [body], updateIdOf(ctx)) };
  });

  router.post('/leads/:id/qualify', async (ctx) => {
    const lead = await openLead(ctx);
    const body = await parseBody(ctx, OverrideQualificationInput);
    ctx.body = { lead: await runUpdate<LeadSnapshot>(deps.temporal, lead, LEAD_UPDATES.overrideQualification, [body], updateIdOf(ctx)) };
  });

  router.post('/leads/:id/tasks', async (ctx) => {
    const lead = await openLead(ctx);
    const body = await parseBody(ctx, AddTaskInput);
    ctx.status = 201;
    ctx.body = { task: await runUpdate<LeadTask>(deps.temporal, lead, LEAD_UPDATES.addTask, [body], updateIdOf(ctx)) };
  });

  router.post('/leads/:id/tasks/:taskId/complete', async (ctx) => {
    const lead = await openLead(ctx);
    const taskId = z.string().min(1).max(80).safeParse(ctx.params.taskId);
    if (!taskId.success) throw badRequest('Invalid task id', { taskId: ctx.params.taskId });
    ctx.body = { task: await runUpdate<LeadTask>(deps.temporal, lead, LEAD_UPDATES.completeTask, [{ taskId: taskId.data }], updateIdOf(ctx)) };
  });

  router.post('/leads/:id/messages', async (ctx) => {
    const lead = await openLead(ctx);
    const body = await parseBody(ctx, BrokerMessageInput);
    ctx.status = 201;
    ctx.body = { message: await runUpdate<{ messageId: string; status: string }>(deps.temporal, lead, LEAD_UPDATES.brokerMessage, [body], updateIdOf(ctx)) };
  });

  return router;
}

/** An Idempotency-Key header becomes the update id: a retried request gets the first result, not a second change. */
function updateIdOf(ctx: Context): string | undefined {
  const key = ctx.get('idempotency-key');
  return /^[A-Za-z0-9._:-]{8,100}$/.test(key) ? key : undefined;
}

async function openLead(ctx: Context): Promise<Lead> {
  const id = LeadIdParam.safeParse(ctx.params.id);
  if (!id.success) throw badRequest('Lead id must be a UUID', { id: ctx.params.id });
  const lead = await new LeadRepository(currentEm()).findLead(id.data);
  if (!lead) throw notFound('Lead', { id: id.data });
  return lead;
}

async function parseBody<T>(ctx: Context, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJson(ctx, 64 * 1024));
  if (!parsed.success) throw badRequest('Invalid body', z.treeifyError(parsed.error));
  return parsed.data;
}

/** Runs a workflow update; a validator's or handler's rejection becomes the error envelope with its status. */
export async function runUpdate<R>(temporal: Client, lead: Lead, name: string, args: [] | [unknown], updateId?: string): Promise<R> {
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
