import type { Client } from '@temporalio/client';
import type { Priority } from '@temporalio/common';
import type { Logger } from 'pino';
import { NEW_LEAD_PRIORITY_KEY, ONGOING_LEAD_PRIORITY_KEY } from '../domain/lead-priority.rules';

// The Temporal side of domain/lead-priority.rules.ts (#13, ADR 020): the key a new lead's
// workflow starts with, and the call that moves it to the default once its first turn is over.

export const NEW_LEAD_PRIORITY: Priority = { priorityKey: NEW_LEAD_PRIORITY_KEY };
export const ONGOING_LEAD_PRIORITY: Priority = { priorityKey: ONGOING_LEAD_PRIORITY_KEY };

export interface WorkflowRef {
  workflowId: string;
  runId?: string;
}

/**
 * Moves a lead's workflow to ONGOING_LEAD_PRIORITY: its tasks scheduled from then on (timers,
 * signals, activities) take that key.
 */
export async function settleLeadPriority(temporal: Client, workflow: WorkflowRef): Promise<void> {
  await temporal.workflowService.updateWorkflowExecutionOptions({
    namespace: temporal.options.namespace,
    workflowExecution: { workflowId: workflow.workflowId, ...(workflow.runId && { runId: workflow.runId }) },
    workflowExecutionOptions: { priority: ONGOING_LEAD_PRIORITY },
    updateMask: { paths: ['priority'] },
  });
}

/**
 * Called by the last step of a lead's first turn (the rememberTurn local activity). `wanted` is
 * the workflow's word (RememberTurnInput.settlePriority): an activity task does not say what key
 * its workflow runs at. Not awaited and best effort: the turn does not wait on it, and a lead
 * left at the higher key only goes first a while longer.
 */
export function settleAfterFirstTurn(
  wanted: boolean | undefined,
  workflow: WorkflowRef | undefined,
  settle: ((workflow: WorkflowRef) => Promise<void>) | undefined,
  logger: Pick<Logger, 'warn'>,
): void {
  if (!wanted || !settle || !workflow) return;
  settle(workflow).catch((err: unknown) => {
    logger.warn({ workflowId: workflow.workflowId, err: err instanceof Error ? err.message : String(err) }, 'lead priority not settled after its first turn');
  });
}
