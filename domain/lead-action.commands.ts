import { produce } from 'immer';
import { anchorFollowUp } from './follow-up.schedule';
import type { InboundMessage } from './inbound-message.schema';
import { conversationLanguage } from './language.detector';
import { taskTitleFor, type LeadAction } from './lead-intent.detector';
import { unsupportedReply } from './reply-copy-actions';
import type { HandoffReason, LeadState } from './lead-state.model';

// What the workflow does about a lead's actions (lead-intent.detector.ts): the tasks a broker
// gets, the handoff it asks for, and whether the burst is answered without the agent (a
// removed reaction gets nothing; a message we cannot read gets the ask for text; a referred
// lead waits for a broker's call). Pure, like every command.

export interface PlannedTask {
  title: string;
  dueAt: string;
}

export interface ActionPlan {
  tasks: PlannedTask[];
  handoff: HandoffReason | null;
  /** Cards of people looking for property: each becomes a lead of their own. */
  referrals: Array<Extract<LeadAction, { kind: 'referral' }>['cards'][number]>;
  /** The burst is answered here, not by the agent: `reply` (or nothing). */
  withoutAgent: { reply: string | null } | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function planActions(s: LeadState, input: { actions: readonly LeadAction[]; fresh: readonly InboundMessage[]; nowMs: number }): ActionPlan {
  const plan: ActionPlan = { tasks: [], handoff: null, referrals: [], withoutAgent: null };
  // A time the lead proposed is when the broker must act; with none, within the claim SLA.
  const soon = iso(input.nowMs + s.settings.slaMs);
  for (const action of input.actions) {
    const title = taskTitleFor(action);
    switch (action.kind) {
      case 'viewing':
        plan.tasks.push({ title: title!, dueAt: action.time && Date.parse(action.time.at) > input.nowMs ? action.time.at : soon });
        plan.handoff ??= 'viewing_request';
        break;
      case 'callback':
        plan.tasks.push({ title: title!, dueAt: Date.parse(action.time.at) > input.nowMs ? action.time.at : soon });
        plan.handoff ??= 'callback_request';
        break;
      case 'referral':
        if (action.seeker) plan.referrals.push(...action.cards);
        plan.tasks.push({ title: title!, dueAt: soon });
        break;
      case 'referred':
        plan.tasks.push({ title: title!, dueAt: soon });
        plan.handoff ??= 'referral';
        plan.withoutAgent = { reply: null };
        break;
      case 'lookup':
        plan.tasks.push({ title: title!, dueAt: soon });
        plan.handoff ??= 'unreachable';
        plan.withoutAgent = { reply: null };
        break;
      case 'silent':
        plan.withoutAgent = { reply: null };
        break;
      case 'unsupported': {
        const language = conversationLanguage(s.transcript.filter((t) => !input.fresh.some((m) => m.providerId === t.id)));
        plan.withoutAgent = { reply: unsupportedReply(language) };
        break;
      }
    }
  }
  return plan;
}

/** A reply the workflow wrote itself (no agent turn): in the transcript, counted as a turn for its key. */
export function recordOwnReply(s: LeadState, input: { text: string; id: string; at: string }): { state: LeadState; turn: number } {
  const turn = s.turns + 1;
  const state = produce(s, (d) => {
    d.turns = turn;
    d.transcript.push({ id: input.id, from: 'agent', text: input.text, at: input.at });
    anchorFollowUp(d.followUp, input.at);
  });
  return { state, turn };
}

/** Whether the lead is hot: a person should call when no message reaches them. */
export const isHot = (s: LeadState) => s.qualification?.qualified === true || (s.qualification?.score ?? 0) >= 60;

/** The broker's task when no message reaches a hot lead. */
export const CALL_INSTEAD_TASK = 'Call the lead: no message reaches them on any channel we have';

/** A later delivery failure: a hot lead nobody owns gets a call (not again while that task is open). */
export function needsCallAfterFailedDelivery(s: LeadState): boolean {
  if (!isHot(s) || s.ownerId || s.optedOut || s.erasedAt) return false;
  return !s.tasks.some((t) => !t.completedAt && t.title === CALL_INSTEAD_TASK);
}
