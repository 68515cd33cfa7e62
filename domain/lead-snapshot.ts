import type { ConversationMessage } from './agent.types';
import type { Stage } from './lead-stage.rules';
import type { HandoffStatus, LeadState } from './lead-state.model';
import { followUpActive } from './lead-timers.rules';

// Read-only views of a lead's state: what an update returns to its caller and what the agent reads.

export interface LeadSnapshot {
  leadId: string;
  stage: Stage;
  ownerId: string | null;
  qualified: boolean;
  score: number | null;
  handoff: { status: HandoffStatus; offeredTo: string | null; slaDueAt: string | null };
  nextFollowUpAt: string | null;
  openTasks: number;
  optedOut: boolean;
}

export function snapshot(s: LeadState): LeadSnapshot {
  return {
    leadId: s.leadId,
    stage: s.stage,
    ownerId: s.ownerId,
    qualified: s.qualification?.qualified ?? false,
    score: s.qualification?.score ?? null,
    handoff: { status: s.handoff.status, offeredTo: s.handoff.offeredTo, slaDueAt: s.handoff.slaDueAt },
    nextFollowUpAt: followUpActive(s) ? s.followUp.dueAt : null,
    openTasks: s.tasks.filter((t) => !t.completedAt).length,
    optedOut: s.optedOut,
  };
}

/** The conversation as the agent reads it. */
export function conversation(s: LeadState): ConversationMessage[] {
  return s.transcript.map(({ id, from, text, at }) => ({ id, from, text, at }));
}

/** The lead wrote last and nobody has answered yet. */
export function awaitingAnswer(s: LeadState): boolean {
  return s.transcript[s.transcript.length - 1]?.from === 'lead' && !s.optedOut;
}
