import { remindBrokerReply } from '../domain/lead-handoff.commands';
import { markRetentionRequested, markTaskReminded } from '../domain/lead-state.commands';
import { dueTimers, followUpActive } from '../domain/lead-timers.rules';
import { guarded } from './activity-failure.step';
import { fireHandoffSla } from './handoff.step';
import { recordLeadEvent, remindTask, requestErasure } from './lead.proxies';
import type { LeadRun } from './lead.run';
import { sendNudge } from './nudge.step';

/** Fires every timer that is due, in due order, each re-checked against the state as it is now. */
export async function fireDueTimers(run: LeadRun): Promise<void> {
  for (const timer of dueTimers(run.state, Date.now())) {
    const nowMs = Date.now();
    if (timer.kind === 'handoff_sla') {
      await fireHandoffSla(run, nowMs);
    } else if (timer.kind === 'broker_reply') {
      await remindOwner(run);
    } else if (timer.kind === 'follow_up') {
      if (followUpActive(run.state)) await sendNudge(run, nowMs);
    } else if (timer.kind === 'task') {
      await remindOfTask(run, timer.taskId!, nowMs);
    } else if (timer.kind === 'retention') {
      await requestRetention(run, nowMs);
    }
  }
}

/** The lead has waited one SLA for the owner's answer. */
async function remindOwner(run: LeadRun): Promise<void> {
  const owner = run.state.ownerId;
  if (!owner || !run.state.brokerReply.dueAt) return;
  const { since, reminder } = run.apply(remindBrokerReply(run.state));
  await guarded(run, 'recordLeadEvent', "The owner's reply reminder is missing from the timeline", () =>
    recordLeadEvent({
      leadId: run.state.leadId,
      type: 'reminder',
      body: `The lead has been waiting for ${owner}'s answer since ${since}`,
      idempotencyKey: `${run.wfId}:broker-reply:${reminder}`,
      brokerId: owner,
      meta: { kind: 'broker_reply', since },
    }),
  );
}

async function remindOfTask(run: LeadRun, taskId: string, nowMs: number): Promise<void> {
  const current = run.state.tasks.find((t) => t.id === taskId);
  if (!current || current.completedAt || current.remindedAt) return;
  const { task } = run.apply(markTaskReminded(run.state, { taskId, at: new Date(nowMs).toISOString() }));
  await guarded(run, 'remindTask', 'A task reminder was not recorded', () => remindTask({ leadId: run.state.leadId, task: { ...task }, idempotencyKey: `${run.wfId}:task:${task.id}:reminder` }));
}

/**
 * The lead has been quiet for its whole retention period: the erasure workflow is asked to erase
 * it (it signals `erase` back, which ends this run). Marked first, so a failure alerts once
 * instead of firing again at every wake-up.
 */
async function requestRetention(run: LeadRun, nowMs: number): Promise<void> {
  run.apply(markRetentionRequested(run.state, { at: new Date(nowMs).toISOString() }));
  await guarded(run, 'requestErasure', 'Retention could not start the erasure of this lead', () => requestErasure({ leadId: run.state.leadId, reason: 'retention' }));
}
