import { produce, type Draft } from 'immer';
import type { AgentIntent } from './agent.types';
import { OPEN_AI_STAGES, isClosed } from './lead-stage.rules';
import { emptyHandoff, type HandoffReason, type LeadState } from './lead-state.model';

// Handoff commands: pure, each takes the state and returns a new one (and what the caller
// needs to know), never changing its argument.

const iso = (ms: number) => new Date(ms).toISOString();

export const handoffActive = (s: LeadState) => s.handoff.status === 'routing' || s.handoff.status === 'offered' || s.handoff.status === 'pool';

/** Starts a handoff unless one is running, a broker owns the lead, or it is closed/opted out. */
export function requestHandoff(s: LeadState, input: { reason: HandoffReason; at: string }): { state: LeadState; started: boolean } {
  if (s.erasedAt || s.optedOut || s.ownerId || handoffActive(s) || isClosed(s.stage)) return { state: s, started: false };
  const state = produce(s, (d) => {
    d.handoff = { ...emptyHandoff(), status: 'routing', reason: input.reason, seq: s.handoff.seq + 1, requestedAt: input.at };
    if (OPEN_AI_STAGES.includes(d.stage)) d.stage = 'handoff';
  });
  return { state, started: true };
}

/** Routing picked a broker: they have one SLA to claim. */
export function offerHandoff(s: LeadState, input: { brokerId: string; nowMs: number }): { state: LeadState } {
  return {
    state: produce(s, (d) => {
      d.handoff.status = 'offered';
      d.handoff.offeredTo = input.brokerId;
      d.handoff.tried.push(input.brokerId);
      d.handoff.slaDueAt = iso(input.nowMs + s.settings.slaMs);
    }),
  };
}

/** The named broker missed the SLA: try the next one, or the shared pool after the last escalation. */
export function escalateHandoff(s: LeadState): { state: LeadState; outcome: 'rerouted' | 'pool' } {
  const escalations = s.handoff.escalations + 1;
  const outcome = escalations >= s.settings.maxEscalations ? 'pool' : 'rerouted';
  const state = produce(s, (d) => {
    d.handoff.escalations = escalations;
    d.handoff.offeredTo = null;
    d.handoff.slaDueAt = null;
    d.handoff.status = outcome === 'pool' ? 'pool' : 'routing';
  });
  return { state, outcome };
}

/** Nobody can be offered the lead (no broker available, or routing failed): anyone may claim it. */
export function sendHandoffToPool(s: LeadState): { state: LeadState } {
  return {
    state: produce(s, (d) => {
      d.handoff.status = 'pool';
      d.handoff.offeredTo = null;
      d.handoff.slaDueAt = null;
    }),
  };
}

/** Stops a running handoff (on a draft inside another command). */
export function cancelHandoff(d: Draft<LeadState>): void {
  if (handoffActive(d as LeadState)) {
    d.handoff.status = 'none';
    d.handoff.offeredTo = null;
    d.handoff.slaDueAt = null;
    if (d.stage === 'handoff') d.stage = d.qualification?.qualified ? 'qualified' : 'engaged';
  }
}

/** The handoff an agent turn asks for: a person asked, the agent is unsure, or the lead just qualified. */
export function handoffReasonFor(intents: AgentIntent[], becameQualified: boolean): HandoffReason | null {
  // Asked how to reach a web chat lead first: the handoff comes with the answer (deferred).
  if (intents.some((i) => i.kind === 'await_contact')) return null;
  const deferred = intents.find((i) => i.kind === 'handoff' && i.deferred);
  if (deferred?.kind === 'handoff') return deferred.reason;
  const reasons = intents.flatMap((i) => (i.kind === 'handoff' ? [i.reason] : []));
  for (const r of ['asked_for_human', 'stuck', 'low_confidence'] as const) if (reasons.includes(r)) return r;
  if (becameQualified) return 'qualified';
  return null;
}

/** The lead wrote to a broker-owned lead: the owner has one SLA to answer. */
export function noteInboundWhileOwned(s: LeadState, input: { nowMs: number }): { state: LeadState } {
  if (!s.ownerId || s.brokerReply.dueAt) return { state: s };
  return {
    state: produce(s, (d) => {
      d.brokerReply.since = iso(input.nowMs);
      d.brokerReply.dueAt = iso(input.nowMs + s.settings.slaMs);
    }),
  };
}

/** The owner's reply reminder fired: counted, and not armed again until the lead writes again. */
export function remindBrokerReply(s: LeadState): { state: LeadState; since: string | null; reminder: number } {
  const reminder = s.brokerReply.reminders + 1;
  const state = produce(s, (d) => {
    d.brokerReply.reminders = reminder;
    d.brokerReply.dueAt = null;
  });
  return { state, since: s.brokerReply.since, reminder };
}
