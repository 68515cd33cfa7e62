// Speed to lead under a nudge storm (#13, ADR 020). One task queue carries every lead's work, and
// Temporal hands backlogged tasks out by priority key (lower first, 3 when unset). A lead's
// workflow starts at the new-lead key, so the turn that writes its first reply is not queued
// behind the follow-up nudges of a thousand earlier leads falling due together; once that turn
// is over the lead is an ongoing conversation and goes back to the default, where its nudges wait.

/** A new lead's workflow, until its first agent turn is over (a turn whose agent failed does not end it). */
export const NEW_LEAD_PRIORITY_KEY = 1;

/** Every lead after its first turn: the server's default key, written out so it is not left to inference. */
export const ONGOING_LEAD_PRIORITY_KEY = 3;

/**
 * Whether this agent turn should move its workflow to the ongoing key at its last step:
 * only the lead's first turn, and only when the workflow started at the new-lead key (a lead
 * started by a test, a form replay or an older deploy keeps what it has).
 */
export function settlesPriorityAfterTurn(turnsBefore: number, startedWithKey: number | undefined): boolean {
  return turnsBefore === 0 && startedWithKey === NEW_LEAD_PRIORITY_KEY;
}
