import type { LeadLanguage } from './language.detector';
import type { Channel, Contact, LeadProfile, Market, Qualification, Unit } from './profile.schema';

// The one interface both agents implement (offline: deterministic; OpenAI: tool calling).
// Side effects never happen inside an agent: sending, booking and handing off come back as
// intents that the workflow carries out.

export interface ConversationMessage {
  /** The message's id (a lead message's provider id), when known: lead memories point at it. */
  id?: string;
  from: 'lead' | 'agent' | 'broker';
  text: string;
  at?: string;
}

export interface AgentTurnInput {
  leadId: string;
  market: Market;
  /** ISO date or date-time: the reference for relative timelines. */
  now: string;
  channel: Channel;
  contact: Contact;
  /** The whole conversation so far, the newest lead messages last. */
  messages: ConversationMessage[];
  /** Structured answers a channel already carries (Lead Ads form fields, WhatsApp Flows). */
  formAnswers?: Record<string, string>;
  /** The lead's IANA time zone: times they propose are read in it. */
  timeZone?: string;
  /** What the lead told us before, as short memory items (lead_memories), most relevant first. */
  memories?: RecalledMemory[];
}

export interface RecalledMemory {
  kind: 'fact' | 'preference';
  text: string;
}

export interface UnitMatch {
  unit: Unit;
  score: number;
  reasons: string[];
}

export interface InventoryQuery {
  listing: 'sale' | 'rent' | null;
  city: string | null;
  areas: string[];
  propertyType: string | null;
  bedsMin: number | null;
  bedsMax: number | null;
  budgetMin: number | null;
  budgetMax: number | null;
  currency: string | null;
  limit: number;
  /** The lead's own words about the home ("sea view, near the metro, a big balcony"): a semantic search when given. */
  text?: string | null;
}

/** What the agent may call; the activity provides the I/O-backed implementations. */
export interface AgentTools {
  inventorySearch(query: InventoryQuery): Promise<UnitMatch[]>;
}

export type AgentIntent =
  /** `deferred`: a handoff held back a turn for the contact ask; it stands even though the lead qualified earlier. */
  | { kind: 'handoff'; reason: 'qualified' | 'asked_for_human' | 'stuck' | 'low_confidence'; deferred?: boolean }
  /** Hold the handoff this turn would start: we asked a web chat lead how to reach them first. */
  | { kind: 'await_contact' }
  | { kind: 'opt_out' }
  | { kind: 'not_interested' };

export interface ToolCallRecord {
  name: string;
  ok: boolean;
  ms: number;
}

export interface AgentTurnResult {
  reply: string;
  profile: LeadProfile;
  qualification: Qualification;
  matches: UnitMatch[];
  intents: AgentIntent[];
  toolCalls: ToolCallRecord[];
  /** Which field the reply asks about, so the next bare answer can be read against it. */
  askedFor: string | null;
  agent: 'offline' | 'openai';
  /** The lead's language as the reply was written in it ('en', 'ar', 'hi', 'hi-Latn'), to keep on the contact. */
  language?: LeadLanguage;
}

export interface Agent {
  readonly name: 'offline' | 'openai';
  turn(input: AgentTurnInput, tools: AgentTools): Promise<AgentTurnResult>;
}

export const MAX_TOOL_CALLS = 10;
