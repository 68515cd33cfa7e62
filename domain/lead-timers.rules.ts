import { NO_FOLLOW_UP_STAGES } from './lead-stage.rules';
import type { LeadState } from './lead-state.model';

// Every timer of a lead is a due-at timestamp in its state; the earliest one wakes the workflow.
// Nothing else keeps time, so continue-as-new and a restarted worker re-arm them from the state.

/** Nudges run while the AI owns an open lead that has had an answer and has not opted out. */
export function followUpActive(s: LeadState): boolean {
  return !s.optedOut && !s.erasedAt && s.ownerId === null && !NO_FOLLOW_UP_STAGES.includes(s.stage) && s.followUp.anchorAt !== null;
}

export type TimerKind = 'handoff_sla' | 'broker_reply' | 'follow_up' | 'task' | 'retention';
export interface Timer {
  kind: TimerKind;
  at: number;
  taskId?: string;
}

export function pendingTimers(s: LeadState): Timer[] {
  const timers: Timer[] = [];
  if (s.erasedAt) return timers;
  if (s.handoff.status === 'offered' && s.handoff.slaDueAt) timers.push({ kind: 'handoff_sla', at: Date.parse(s.handoff.slaDueAt) });
  if (s.ownerId && s.brokerReply.dueAt) timers.push({ kind: 'broker_reply', at: Date.parse(s.brokerReply.dueAt) });
  if (followUpActive(s) && s.followUp.dueAt) timers.push({ kind: 'follow_up', at: Date.parse(s.followUp.dueAt) });
  for (const t of s.tasks) if (!t.completedAt && !t.remindedAt) timers.push({ kind: 'task', at: Date.parse(t.dueAt), taskId: t.id });
  const retentionAt = retentionDueAt(s);
  if (retentionAt !== null) timers.push({ kind: 'retention', at: retentionAt });
  return timers.sort((a, b) => a.at - b.at);
}

export function nextTimerAt(s: LeadState): number | null {
  return pendingTimers(s)[0]?.at ?? null;
}

export function dueTimers(s: LeadState, nowMs: number): Timer[] {
  return pendingTimers(s).filter((t) => t.at <= nowMs);
}

/** The SLA shown on list pages: the claim deadline, else the deadline to answer the lead. */
export function slaDueAt(s: LeadState): string | null {
  if (s.handoff.status === 'offered') return s.handoff.slaDueAt;
  if (s.ownerId) return s.brokerReply.dueAt;
  return null;
}

/**
 * When the lead has been quiet for its retention period (since its last message, or since it
 * was created): then it is erased. Null when retention is off or already asked for.
 */
export function retentionDueAt(s: LeadState): number | null {
  const period = s.settings.retentionMs;
  if (!period || period <= 0 || s.erasedAt || s.retentionRequestedAt) return null;
  const since = Date.parse(s.lastInboundAt ?? s.createdAt);
  return Number.isFinite(since) ? since + period : null;
}
