import type { AgentTurnResult } from './agent.types';
import type { InboundMessage } from './inbound-message.schema';
import { refreshFollowUp } from './lead-follow-up.commands';
import { acceptInbound, applyAgentResult } from './lead-state.commands';
import { DEFAULT_SETTINGS, initialLeadState, type LeadState } from './lead-state.model';
import { emptyProfile } from './profile.defaults';
import type { Qualification } from './profile.schema';

// Shared by the lead-state unit tests: a lead at a fixed time, messages and agent results.

export const T0 = Date.parse('2026-01-10T10:00:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();
export const settings = { ...DEFAULT_SETTINGS, timeZone: 'UTC', quietHours: { startMinute: 0, endMinute: 0 } };

export function lead(): LeadState {
  return initialLeadState({ leadId: 'l1', market: 'AE', channel: 'whatsapp', createdAt: iso(T0), settings });
}
export const msg = (id: string, text = 'hi', at = T0): InboundMessage => ({ providerId: id, channel: 'whatsapp', kind: 'text', text, receivedAt: iso(at) });
export const qual = (score: number): Qualification => ({ score, qualified: score >= 60, breakdown: [], reasons: [`score ${score}`] });
export function result(over: Partial<AgentTurnResult> = {}): AgentTurnResult {
  return { reply: 'Hello!', profile: emptyProfile(), qualification: qual(20), matches: [], intents: [], toolCalls: [], askedFor: null, agent: 'offline', ...over };
}
/** A lead that wrote once and got an answer at T0 + 1 s. */
export function answered(): LeadState {
  let s = acceptInbound(lead(), { messages: [msg('m1')] }).state;
  s = applyAgentResult(s, { result: result(), replyId: 'r1', at: iso(T0 + 1000) }).state;
  return refreshFollowUp(s).state;
}
