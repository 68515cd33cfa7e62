import { ParentClosePolicy, log, startChild, uuid4 } from '@temporalio/workflow';
import type { DeliverReplyResult } from '../activities/lead-activity.contract';
import type { InboundMessage } from '../domain/inbound-message.schema';
import { CALL_INSTEAD_TASK, isHot, needsCallAfterFailedDelivery, planActions, recordOwnReply, type ActionPlan } from '../domain/lead-action.commands';
import type { LeadAction } from '../domain/lead-intent.detector';
import { addTask } from '../domain/lead-state.commands';
import { guarded } from './activity-failure.step';
import { handOff } from './handoff.step';
import { deliverReply, intakeReferral, saveTask } from './lead.proxies';
import { DELIVERY_FAILED_PATCH } from './lead.patches';
import type { LeadRun } from './lead.run';
import type { mediaFetchWorkflow } from './media-fetch.workflow';

// What a burst asks us to do beyond answering (domain/lead-intent.detector.ts): tasks for the
// broker, a handoff, a referred person's own lead, files kept; and the bursts that are
// answered without the agent. Every call here is new to a lead's history, so the inbound step
// reaches it only behind INBOUND_ACTIONS_PATCH (ADR 004).

const nowIso = () => new Date(Date.now()).toISOString();

export function plan(run: LeadRun, actions: readonly LeadAction[], fresh: readonly InboundMessage[]): ActionPlan {
  return planActions(run.state, { actions, fresh, nowMs: Date.now() });
}

/** Answers the burst without the agent when the plan says so; true when it did. */
export async function answerWithoutAgent(run: LeadRun, p: ActionPlan, fresh: readonly InboundMessage[]): Promise<boolean> {
  if (!p.withoutAgent) return false;
  const text = p.withoutAgent.reply;
  if (text) {
    const { turn } = run.apply(recordOwnReply(run.state, { text, id: uuid4(), at: nowIso() }));
    await guarded(run, 'deliverReply', 'The ask for a text message was not delivered', () =>
      deliverReply({ leadId: run.state.leadId, channel: run.state.channel, text, idempotencyKey: `${run.wfId}:turn:${turn}`, inReplyTo: fresh.map((m) => m.providerId) }),
    );
  }
  return true;
}

/** Tasks, the handoff and referred leads the plan asks for. */
export async function act(run: LeadRun, p: ActionPlan): Promise<void> {
  for (const [i, card] of p.referrals.entries()) {
    const opened = await guarded(run, 'intakeReferral', 'A referred person was not opened as a lead (the task below names them)', () =>
      intakeReferral({ referrerLeadId: run.state.leadId, card, index: run.state.tasks.length + i }),
    );
    log.info('referral', { status: opened?.value.status ?? 'failed' });
  }
  for (const planned of p.tasks) {
    const { task } = run.apply(addTask(run.state, { task: { title: planned.title, dueAt: planned.dueAt }, id: uuid4(), at: nowIso() }));
    await guarded(run, 'saveTask', 'A task was not stored (the lead keeps it)', () => saveTask({ leadId: run.state.leadId, task }));
  }
  if (p.handoff) handOff(run, p.handoff);
}

/** Each file the lead sent is fetched and stored by its own workflow, which outlives this run if need be. */
export async function keepMedia(run: LeadRun, fresh: readonly InboundMessage[]): Promise<void> {
  for (const m of fresh) {
    if (!m.media) continue;
    await startChild<typeof mediaFetchWorkflow>('mediaFetchWorkflow', {
      workflowId: `media-${run.state.leadId}-${m.media.id}`,
      args: [{ leadId: run.state.leadId, mediaId: m.media.id }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    }).catch((err: unknown) => {
      // Already started (a redelivered message after continue-as-new): that run keeps it.
      log.warn('media workflow not started', { error: err instanceof Error ? err.name : 'error' });
    });
  }
}

/** Whether a reply reached nobody and the lead is hot enough that a broker must call instead. */
export function mustCall(run: LeadRun, result: DeliverReplyResult | undefined): boolean {
  return result?.unreachable === true && isHot(run.state) && !run.state.ownerId && !run.state.optedOut;
}

/** A hot lead no message reaches: a call task, and a broker is asked to take it. */
export async function callInstead(run: LeadRun): Promise<void> {
  await act(run, { tasks: [{ title: CALL_INSTEAD_TASK, dueAt: nowIso() }], handoff: 'unreachable', referrals: [], withoutAgent: null });
}

/** A hot lead whose accepted message later failed to deliver gets a call task and the handoff (DELIVERY_FAILED_PATCH). */
export async function callAfterFailedDelivery(run: LeadRun): Promise<void> {
  if (!needsCallAfterFailedDelivery(run.state)) return;
  if (!run.has(DELIVERY_FAILED_PATCH)) return;
  log.info('a message failed to deliver to a hot lead; a broker calls instead');
  await callInstead(run);
}
