import { produce, type Draft } from 'immer';
import { anchorFollowUp, markNudgeSent, nextFollowUp, nudgeText, resetFollowUp } from './follow-up.schedule';
import type { LeadState } from './lead-state.model';
import { followUpActive } from './lead-timers.rules';
import { deferOutOfQuietHours, isQuietAt } from './quiet-hours';

// Follow-up commands: the next nudge recomputed from the state, and a nudge coming due.

const iso = (ms: number) => new Date(ms).toISOString();

/** Recomputes the next nudge from the state; `changed` says whether it moved. */
export function refreshFollowUp(s: LeadState): { state: LeadState; changed: boolean } {
  const next = followUpActive(s) ? nextFollowUp({ followUp: s.followUp, config: s.settings.followUp, quiet: s.settings.quietHours, timeZone: s.settings.timeZone, seed: s.leadId }) : null;
  const dueAt = next ? iso(next.dueAt) : null;
  const deferredFrom = next?.deferredFrom ? iso(next.deferredFrom) : null;
  if (dueAt === s.followUp.dueAt && deferredFrom === s.followUp.deferredFrom) return { state: s, changed: false };
  const state = produce(s, (d) => {
    d.followUp.dueAt = dueAt;
    d.followUp.deferredFrom = deferredFrom;
  });
  return { state, changed: true };
}

/** Follow-ups that were off (owner, stage) and are on again start from now, not from an old anchor. */
export function resumeFollowUps(d: Draft<LeadState>, wasActive: boolean, at: string): void {
  if (wasActive || d.optedOut || d.erasedAt) return;
  const last = d.transcript[d.transcript.length - 1];
  if (last && last.from !== 'lead') anchorFollowUp(d.followUp, at);
  else resetFollowUp(d.followUp);
}

/**
 * The follow-up timer fired. Inside quiet hours (a late timer: the worker was down) it moves
 * to the end of them and nothing is sent; otherwise the nudge is in the transcript and `send`
 * says what to deliver under which number and at which step of the cadence.
 */
export function nudge(s: LeadState, input: { nowMs: number }): { state: LeadState; send: { n: number; step: number; text: string } | null } {
  const { timeZone, quietHours } = s.settings;
  if (isQuietAt(input.nowMs, timeZone, quietHours)) {
    const deferred = produce(s, (d) => {
      d.followUp.notBefore = iso(deferOutOfQuietHours(input.nowMs, timeZone, quietHours));
    });
    return { state: refreshFollowUp(deferred).state, send: null };
  }
  const n = s.followUp.sent + 1;
  const lastLead = s.transcript.findLast((t) => t.from === 'lead');
  const text = nudgeText({ profile: s.profile, step: s.followUp.step, cadenceSteps: s.settings.followUp.cadenceMs.length, seed: s.leadId, lastLeadText: lastLead?.text ?? null });
  const at = iso(input.nowMs);
  const sent = produce(s, (d) => {
    d.transcript.push({ id: `nudge-${n}`, from: 'agent', text, at, kind: 'nudge' });
    markNudgeSent(d.followUp, at);
  });
  // `step` is 1-based and starts over after every reply from the lead: analytics counts
  // replies per step (how often the 1st, 2nd... nudge of a silence gets an answer).
  return { state: refreshFollowUp(sent).state, send: { n, step: s.followUp.step + 1, text } };
}
