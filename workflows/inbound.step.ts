import { sleep } from '@temporalio/workflow';
import { noteInboundWhileOwned } from '../domain/lead-handoff.commands';
import { asksToStart, asksToStop } from '../domain/lead-opt-out.rules';
import { acceptInbound, applyOptIn, applyOptOut } from '../domain/lead-state.commands';
import { detectLeadActions } from '../domain/lead-intent.detector';
import { runAgentTurn } from './agent-turn.step';
import { act, answerWithoutAgent, keepMedia, plan } from './lead-actions.step';
import { INBOUND_ACTIONS_PATCH, OPT_IN_PATCH } from './lead.patches';
import { guarded } from './activity-failure.step';
import { dataStep } from './lead.proxies';
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
  await guarded(run, 'recordInbound', 'Messages from the lead are missing from the timeline', () => dataStep(run, 'recordInbound')({ leadId: run.state.leadId, messages: fresh }));
  if (run.state.erasedAt) return;
  // What the burst asks us to do beyond answering. New commands, so only past the patch.
  const actions = run.state.optedOut || asksToStop(fresh) ? [] : detectLeadActions(fresh, { nowMs: Date.now(), timeZone: run.state.settings.timeZone });
  const acting = (actions.length > 0 || fresh.some((m) => m.media)) && run.has(INBOUND_ACTIONS_PATCH);
  const todo = acting ? plan(run, actions, fresh) : null;
  if (acting) await keepMedia(run, fresh);
  if (owned) {
    // The AI stays quiet for a broker-owned lead, but a stop request is still honoured at once.
    if (asksToStop(fresh)) run.apply(applyOptOut(run.state));
    else if (!run.state.optedOut) run.apply(noteInboundWhileOwned(run.state, { nowMs: Date.now() }));
    if (todo) await act(run, { ...todo, withoutAgent: null });
    return;
  }
  if (run.state.optedOut) {
    // START opts the person back in (the provider confirms it on SMS); the next message is answered.
    if (asksToStart(fresh) && run.has(OPT_IN_PATCH)) run.apply(applyOptIn(run.state));
    return;
  }
  if (todo && (await answerWithoutAgent(run, todo, fresh))) {
    await act(run, todo);
    return;
  }
  await runAgentTurn(run, fresh);
  if (todo) await act(run, todo);
}
