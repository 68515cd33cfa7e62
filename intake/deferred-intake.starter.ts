import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { LeadgenRef } from '../domain/leadgen.mapper';
import type { Logger } from 'pino';
import type { Env } from '../lib/env';
import type { LeadgenIntakeInput } from '../activities/leadgen.activities';
import type { leadgenIntakeWorkflow } from '../workflows/leadgen-intake.workflow';
import type { inboundEventWorkflow } from '../workflows/inbound-event.workflow';

// Intake that cannot finish inside a webhook request runs as a workflow: a Lead Ads lead (its
// answers must be fetched from the Graph API), a large WhatsApp body (Meta's backlog after an
// outage), and an acknowledged event whose API instance died before handing it on. The
// workflow ids are the dedupe for the providers' at-least-once delivery.

/** Bodies with more items than this are processed by a workflow instead of in the request. */
export const INLINE_ITEM_LIMIT = 50;

export const inboundEventWorkflowId = (eventId: string) => `inbound-event-${eventId}`;
export const leadgenWorkflowId = (leadgenId: string) => `leadgen-${leadgenId}`;

/** One intake workflow per Lead Ads lead; false when that lead was already taken in. */
export async function startLeadgenIntake(deps: { temporal: Client; env: Env }, eventId: string, ref: LeadgenRef): Promise<boolean> {
  const input: LeadgenIntakeInput = { ...ref, eventId };
  try {
    await deps.temporal.workflow.start<typeof leadgenIntakeWorkflow>('leadgenIntakeWorkflow', {
      workflowId: leadgenWorkflowId(ref.leadgenId),
      taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
      args: [input],
      // A redelivery joins the running intake, and one that already finished is refused.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: 'Lead Ads intake',
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/**
 * Starts the intake of every lead a Lead Ads event references, one after another (a failure
 * stops there and throws: what started is joined, not duplicated, when it is tried again).
 */
export async function startLeadgenIntakes(deps: { temporal: Client; env: Env; logger: Logger }, eventId: string, refs: LeadgenRef[]): Promise<{ started: number; providerIds: string[] }> {
  let started = 0;
  for (const ref of refs) {
    if (await startLeadgenIntake(deps, eventId, ref)) started += 1;
    else deps.logger.info({ eventId, leadgenId: ref.leadgenId }, 'leadgen already taken in');
  }
  return { started, providerIds: refs.map((r) => r.leadgenId) };
}

/** Takes a stored WhatsApp, SMS or Lead Ads event in after the ack, from its raw bytes (the stored-event intake activity). */
export async function startStoredEventIntake(deps: { temporal: Client; env: Env }, eventId: string, summary: string): Promise<void> {
  await deps.temporal.workflow.start<typeof inboundEventWorkflow>('inboundEventWorkflow', {
    workflowId: inboundEventWorkflowId(eventId),
    taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
    args: [{ eventId }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: summary,
  });
}
