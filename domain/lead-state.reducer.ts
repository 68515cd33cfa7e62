import type { AgentIntent, AgentTurnResult, ConversationMessage, UnitMatch } from './agent.types';
import type { InboundMessage } from './inbound-message.schema';
import { emptyProfile, type Channel, type LeadProfile, type Market, type Qualification } from './profile.schema';

// The lead workflow's state and the pure functions that change it. The workflow keeps this
// as plain JSON (it crosses continue-as-new), and the `state` query returns it as is.

export const STATE_VERSION = 1;

export const STAGES = ['new', 'engaged', 'qualified', 'handoff', 'claimed', 'viewing', 'negotiation', 'won', 'lost', 'nurture'] as const;
export type Stage = (typeof STAGES)[number];

export interface TranscriptEntry extends ConversationMessage {
  id: string;
  at: string;
  kind?: string;
}

export interface LeadState {
  version: typeof STATE_VERSION;
  leadId: string;
  market: Market;
  channel: Channel;
  stage: Stage;
  profile: LeadProfile;
  qualification: Qualification | null;
  matches: Array<Pick<UnitMatch, 'score' | 'reasons'> & { unitId: string; title: string; price: number; currency: string }>;
  transcript: TranscriptEntry[];
  /** Provider message ids already taken in; carried across continue-as-new. */
  seenProviderIds: string[];
  turns: number;
  lastIntents: AgentIntent[];
  askedFor: string | null;
  ownerId: string | null;
  optedOut: boolean;
  lastInboundAt: string | null;
  createdAt: string;
}

export function initialLeadState(args: { leadId: string; market: Market; channel: Channel; createdAt: string }): LeadState {
  return {
    version: STATE_VERSION,
    leadId: args.leadId,
    market: args.market,
    channel: args.channel,
    stage: 'new',
    profile: emptyProfile(),
    qualification: null,
    matches: [],
    transcript: [],
    seenProviderIds: [],
    turns: 0,
    lastIntents: [],
    askedFor: null,
    ownerId: null,
    optedOut: false,
    lastInboundAt: null,
    createdAt: args.createdAt,
  };
}

/** How many provider ids to remember: enough to cover any retry window, bounded for history size. */
export const SEEN_IDS_LIMIT = 2000;

/** Takes a batch of inbound messages in, dropping those seen before. Returns the new ones. */
export function acceptInbound(state: LeadState, batch: InboundMessage[]): InboundMessage[] {
  const seen = new Set(state.seenProviderIds);
  const fresh: InboundMessage[] = [];
  for (const message of batch) {
    if (seen.has(message.providerId)) continue;
    seen.add(message.providerId);
    fresh.push(message);
    state.transcript.push({ id: message.providerId, from: 'lead', text: message.text, at: message.receivedAt, kind: message.kind });
    state.lastInboundAt = message.receivedAt;
  }
  state.seenProviderIds = [...seen].slice(-SEEN_IDS_LIMIT);
  if (fresh.length > 0 && state.stage === 'new') state.stage = 'engaged';
  return fresh;
}

export function applyAgentResult(state: LeadState, result: AgentTurnResult, replyId: string, at: string): void {
  state.turns += 1;
  state.profile = result.profile;
  state.qualification = result.qualification;
  state.askedFor = result.askedFor;
  state.lastIntents = result.intents;
  state.matches = result.matches.slice(0, 5).map((m) => ({
    unitId: m.unit.id,
    title: m.unit.title,
    price: m.unit.price,
    currency: m.unit.currency,
    score: m.score,
    reasons: m.reasons,
  }));
  if (result.reply) state.transcript.push({ id: replyId, from: 'agent', text: result.reply, at });
  if (result.intents.some((i) => i.kind === 'opt_out')) state.optedOut = true;
  if (result.qualification.qualified && (state.stage === 'new' || state.stage === 'engaged')) state.stage = 'qualified';
}

/** The conversation as the agent reads it. */
export function conversation(state: LeadState): ConversationMessage[] {
  return state.transcript.map(({ from, text, at }) => ({ from, text, at }));
}
