import { log, uuid4, workflowInfo } from '@temporalio/workflow';
import type { DeliverReplyResult } from '../activities/lead-activity.contract';
import type { AgentTurnResult, ConversationMessage } from '../domain/agent.types';
import type { InboundMessage } from '../domain/inbound-message.schema';
import { settlesPriorityAfterTurn } from '../domain/lead-priority.rules';
import { handoffReasonFor, noteInboundWhileOwned } from '../domain/lead-handoff.commands';
import { asksToStop, enforceOptOut } from '../domain/lead-opt-out.rules';
import { conversation } from '../domain/lead-snapshot';
import { applyAgentResult, applyOptOut, noteAgentFailure } from '../domain/lead-state.commands';
import { alertActivityFailed, guarded, isActivityFailure } from './activity-failure.step';
import { handOff } from './handoff.step';
import { callInstead, mustCall } from './lead-actions.step';
import { ACTIVITY_ALERTS_PATCH, FAST_REPLY_PATCH, INBOUND_ACTIONS_PATCH, REPLY_IN_TURN_PATCH } from './lead.patches';
import { agentTurn, deliverReply, rememberTurn } from './lead.proxies';
import type { LeadRun } from './lead.run';

const nowIso = () => new Date(Date.now()).toISOString();

/**
 * One agent turn over the whole conversation (so it also answers whatever a release asked for).
 * `fresh` are the messages that started it, if any: their ids go with the reply, and a stop
 * request among them is honoured even when the agent misses it.
 */
export async function runAgentTurn(run: LeadRun, fresh: InboundMessage[]): Promise<void> {
  run.requests.turn = false;
  const s = run.state;
  const turnId = `${run.wfId}:turn:${s.turns + 1}`;
  const messages = conversation(s);
  // From the patch on, this turn's memories are written once the reply is out, not before it.
  const rememberAfter = run.has(FAST_REPLY_PATCH);
  const inReplyTo = fresh.map((m) => m.providerId);
  // The turn sends its reply itself, except to a lead a broker owns (the owned path below decides).
  const deliver = !s.ownerId && run.has(REPLY_IN_TURN_PATCH) ? { idempotencyKey: turnId, inReplyTo, fresh: fresh.map((m) => ({ text: m.text })) } : undefined;
  // Memories are written only after a turn (rememberTurn): before the first there are none to recall.
  const recall = !(rememberAfter && s.turns === 0);
  // A new lead's first turn hands its workflow back to the default priority at its last step (ADR 020).
  const settlePriority = settlesPriorityAfterTurn(s.turns, workflowInfo().priority?.priorityKey);
  let result: AgentTurnResult;
  let delivered: DeliverReplyResult | undefined;
  try {
    const { delivered: sentInTurn, ...turn } = await agentTurn({ leadId: s.leadId, market: s.market, channel: s.channel, messages, timeZone: s.settings.timeZone, ...(rememberAfter && { remember: false }), ...(!recall && { recall }), ...(deliver && { deliver }) });
    result = turn;
    delivered = sentInTurn;
  } catch (err) {
    if (!isActivityFailure(err)) throw err;
    await agentFailed(run, fresh, err);
    return;
  }
  result = enforceOptOut(result, fresh);

  // A reply the turn already sent stands even if a broker claimed the lead meanwhile: it is
  // recorded like any reply, and the claim keeps the lead (no handoff below).
  if (run.state.ownerId && !delivered) {
    // A broker claimed the lead while the agent was thinking: keep what it learned, send
    // nothing, and start the owner's clock for the unanswered message.
    run.apply(applyAgentResult(run.state, { result: { ...result, reply: '', intents: result.intents.filter((i) => i.kind === 'opt_out') }, replyId: uuid4(), at: nowIso() }));
    if (run.state.optedOut) run.apply(applyOptOut(run.state));
    else run.apply(noteInboundWhileOwned(run.state, { nowMs: Date.now() }));
    if (rememberAfter) await remember(run, messages, settlePriority);
    return;
  }
  const wasOptedOut = run.state.optedOut;
  const { becameQualified } = run.apply(applyAgentResult(run.state, { result, replyId: uuid4(), at: nowIso() }));
  // An opt-out still gets its one confirmation; nothing is sent after it.
  if (result.reply) {
    const reply = result.reply;
    const sent = delivered
      ? { value: delivered }
      : await guarded(run, 'deliverReply', "The agent's reply was not delivered", () =>
          deliverReply({ leadId: run.state.leadId, channel: run.state.channel, text: reply, idempotencyKey: turnId, inReplyTo }),
        );
    if (mustCall(run, sent?.value) && run.has(INBOUND_ACTIONS_PATCH)) await callInstead(run);
  }
  if (run.state.optedOut && !wasOptedOut) run.apply(applyOptOut(run.state));
  const reason = handoffReasonFor(result.intents, becameQualified);
  if (reason && !run.state.ownerId) handOff(run, reason);
  run.dirty = true;
  if (rememberAfter) await remember(run, messages, settlePriority);
}

function remember(run: LeadRun, messages: ConversationMessage[], settlePriority: boolean) {
  return guarded(run, 'rememberTurn', "What the lead said in this turn is missing from the agent's memories", () =>
    rememberTurn({ leadId: run.state.leadId, market: run.state.market, messages, ...(settlePriority && { settlePriority }) }),
  );
}

/** The agent failed or ran out of time on every attempt: a person takes over (a stop request is still a stop). */
async function agentFailed(run: LeadRun, fresh: InboundMessage[], err: Parameters<typeof alertActivityFailed>[3]): Promise<void> {
  run.apply(noteAgentFailure(run.state));
  log.warn('agent turn failed; handing off', { failures: run.state.agentFailures });
  if (!run.has(ACTIVITY_ALERTS_PATCH)) {
    handOff(run, 'stuck');
    return;
  }
  if (asksToStop(fresh)) {
    run.apply(applyOptOut(run.state));
    await alertActivityFailed(run, 'agentTurn', 'The agent could not answer; the lead asked to stop and is opted out', err);
    return;
  }
  handOff(run, 'stuck');
  await alertActivityFailed(run, 'agentTurn', 'The agent could not answer; the lead is handed to a person', err);
}
