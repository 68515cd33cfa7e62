import { patched, sleep } from '@temporalio/workflow';
import { noteInboundWhileOwned } from '../domain/lead-handoff.commands';
import { asksToStart, asksToStop } from '../domain/lead-opt-out.rules';
import { acceptInbound, applyOptIn, applyOptOut } from '../domain/lead-state.commands';
import { runAgentTurn } from './agent-turn.step';
import { guarded } from './activity-failure.step';
import { recordInbound } from './lead.proxies';
import type { LeadRun } from './lead.run';

/** Takes in what the inbox holds: recorded, then answered by the AI, or left for the owner. */
export async function takeInbound(run: LeadRun): Promise<void> {
  // A broker reads every message as it comes; only the AI waits for the burst to end.
  const coalesceMs = run.input.coalesceMs;
  if (coalesceMs && coalesceMs > 0 && !run.state.ownerId) await sleep(coalesceMs);
  const accepted = acceptInbound(run.state, { messages: run.inbox.splice(0) });
  // Only re-deliveries: nothing changed, nothing to write.
  if (accepted.fresh.length === 0) return;
  const { fresh } = run.apply(accepted);
  // Who owns the lead when the message arrives decides who answers it; a release while it
  // is being recorded asks for a turn itself.
  const owned = run.state.ownerId !== null;
  await guarded(run, 'recordInbound', 'Messages from the lead are missing from the timeline', () => recordInbound({ leadId: run.state.leadId, messages: fresh }));
  if (run.state.erasedAt) return;
  if (owned) {
    // The AI stays quiet for a broker-owned lead, but a stop request is still honoured at once.
    if (asksToStop(fresh)) run.apply(applyOptOut(run.state));
    else if (!run.state.optedOut) run.apply(noteInboundWhileOwned(run.state, { nowMs: Date.now() }));
    return;
  }
  if (run.state.optedOut) {
    // START opts the person back in (the provider confirms it on SMS); the next message is answered.
    if (asksToStart(fresh) && patched('lead-opt-in-v1')) run.apply(applyOptIn(run.state));
    return;
  }
  await runAgentTurn(run, fresh);
}
