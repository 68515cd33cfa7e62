import type { Context } from 'koa';
import { z } from 'zod';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { AuditLogRepository } from '../../db/audit-log.repository';
import { LeadRepository } from '../../db/lead.repository';
import type { Lead } from '../../db/entities';
import { AppError, badRequest, notFound } from '../../lib/errors';
import type { LeadState } from '../../domain/lead-state.model';
import { REJECTION_STATUS, isRejectionCode } from '../../domain/lead-command.contract';
import { checkLeadCommand, type LeadCommand, type Principal } from '../../domain/access.policy';
import { forbidden } from '../middleware/auth';
import { readJson } from '../middleware/raw-body';
import { currentEm } from '../orm';

// The pipeline every lead command runs through, here and in lead-units.routes.ts: open the lead,
// check the caller may run the command, run the workflow update, write the audit row.

export const LeadIdParam = z.string().uuid();

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
