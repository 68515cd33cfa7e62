import type { Actor } from './actor.schema';
import type { AgentIntent, ConversationMessage, UnitMatch } from './agent.types';
import type { LeadUpdateName } from './lead-message-names.contract';
import type { Stage } from './lead-stage.rules';
import { DEFAULT_FOLLOW_UP, emptyFollowUp, type FollowUpConfig, type FollowUpState } from './follow-up.schedule';
import { emptyProfile } from './profile.defaults';
import type { Channel, LeadProfile, Market, Qualification } from './profile.schema';
import { DEFAULT_QUIET_HOURS, isValidTimeZone, type QuietHours } from './quiet-hours';

// The lead workflow's state: plain, versioned JSON (it crosses continue-as-new, and the `state`
// query returns it as is). Only the pure commands in lead-state.commands.ts and
// lead-handoff.commands.ts make a new one. Every timer is a due-at timestamp in here, so a new
// run (or a restarted worker) re-arms them from the state alone.

export const STATE_VERSION = 3;

export interface LeadSettings {
  /** How long a named broker has to claim, and to answer a lead who wrote to them. */
  slaMs: number;
  /** Missed claims before the lead goes to the shared pool (with an alert). */
  maxEscalations: number;
  followUp: FollowUpConfig;
  quietHours: QuietHours;
  /** The lead's IANA time zone (contact's, else the deployment default). */
  timeZone: string;
  /** Continue-as-new once history has this many events; 0: only when the server suggests it. */
  continueAsNewAfterEvents: number;
  /**
   * Erase the lead after this long without a message from it (RETENTION_INACTIVITY_DAYS); 0 or
   * absent: never. Absent in leads whose settings were read before retention existed.
   */
  retentionMs?: number;
}

export const DEFAULT_SETTINGS: LeadSettings = {
  slaMs: 5 * 60_000,
  maxEscalations: 3,
  followUp: DEFAULT_FOLLOW_UP,
  quietHours: DEFAULT_QUIET_HOURS,
  timeZone: 'Asia/Dubai',
  continueAsNewAfterEvents: 0,
};

export type HandoffReason =
  | 'qualified'
  | 'asked_for_human'
  | 'stuck'
  | 'low_confidence'
  | 'takeover'
  /** The lead asked for a viewing, a call at a time, or was referred: a person acts on it. */
  | 'viewing_request'
  | 'callback_request'
  | 'referral'
  /** A hot lead no message reaches: a broker calls. */
  | 'unreachable';
/** routing: a broker must be picked; offered: waiting for the named broker's claim (SLA); pool: anyone may claim. */
export type HandoffStatus = 'none' | 'routing' | 'offered' | 'pool' | 'claimed';

export interface HandoffState {
  status: HandoffStatus;
  reason: HandoffReason | null;
  /** Handoffs over the lead's life (idempotency keys). */
  seq: number;
  offeredTo: string | null;
  /** Brokers offered this handoff so far, in order. */
  tried: string[];
  escalations: number;
  slaDueAt: string | null;
  requestedAt: string | null;
  claimedAt: string | null;
}

export interface LeadTask {
  id: string;
  title: string;
  dueAt: string;
  assignee: string | null;
  createdAt: string;
  completedAt: string | null;
  remindedAt: string | null;
}

export interface QualificationOverride {
  qualified: boolean;
  score: number | null;
  reason: string;
  by: string;
  at: string;
}

export interface TranscriptEntry extends ConversationMessage {
  id: string;
  at: string;
  kind?: string;
  /** Who wrote a broker message, when the command named them. */
  by?: Actor;
}

/** A broker command the workflow applied, and who gave it (when the caller said). */
export interface CommandRecord {
  seq: number;
  command: LeadUpdateName;
  at: string;
  by: Actor | null;
  summary: string;
}

export interface LeadState {
  version: typeof STATE_VERSION;
  leadId: string;
  market: Market;
  channel: Channel;
  stage: Stage;
  stageReason: string | null;
  profile: LeadProfile;
  qualification: Qualification | null;
  qualificationOverride: QualificationOverride | null;
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
  settings: LeadSettings;
  /** False until the run has read the lead's settings (time zone, durations) once. */
  settingsLoaded: boolean;
  handoff: HandoffState;
  /** A lead wrote to a broker-owned lead: the owner is reminded at `dueAt` if nobody answers. */
  brokerReply: { since: string | null; dueAt: string | null; reminders: number };
  followUp: FollowUpState;
  tasks: LeadTask[];
  agentFailures: number;
  brokerMessages: number;
  alerts: number;
  /** The latest broker commands (bounded; the timeline in Postgres keeps them all). */
  commands: CommandRecord[];
  /** Commands applied over the lead's life (the next record's `seq`). */
  commandSeq: number;
  erasedAt: string | null;
  /** When retention asked for this lead's erasure (the erasure workflow then signals `erase`). */
  retentionRequestedAt?: string | null;
  /** Runs of this lead's workflow so far (continue-as-new increments it). */
  generation: number;
}

export function emptyHandoff(): HandoffState {
  return { status: 'none', reason: null, seq: 0, offeredTo: null, tried: [], escalations: 0, slaDueAt: null, requestedAt: null, claimedAt: null };
}

export function initialLeadState(args: { leadId: string; market: Market; channel: Channel; createdAt: string; settings?: LeadSettings }): LeadState {
  return {
    version: STATE_VERSION,
    leadId: args.leadId,
    market: args.market,
    channel: args.channel,
    stage: 'new',
    stageReason: null,
    profile: emptyProfile(),
    qualification: null,
    qualificationOverride: null,
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
    settings: args.settings ?? DEFAULT_SETTINGS,
    settingsLoaded: args.settings !== undefined,
    handoff: emptyHandoff(),
    brokerReply: { since: null, dueAt: null, reminders: 0 },
    followUp: emptyFollowUp(),
    tasks: [],
    agentFailures: 0,
    brokerMessages: 0,
    alerts: 0,
    commands: [],
    commandSeq: 0,
    erasedAt: null,
    generation: 1,
  };
}

/**
 * Brings state from any earlier version (a continue-as-new input written by older code) to
 * the current shape. Each version adds its fields with the defaults that keep old leads' behaviour.
 */
export function migrateState(raw: unknown): LeadState {
  let s = raw as Omit<Partial<LeadState>, 'version'> & { version?: number };
  if (!s || typeof s !== 'object' || typeof s.version !== 'number') throw new Error('lead state without a version');
  if (s.version > STATE_VERSION) throw new Error(`lead state version ${s.version} is newer than this code (${STATE_VERSION})`);
  if (s.version === 1) {
    const base = initialLeadState({ leadId: s.leadId!, market: s.market!, channel: s.channel!, createdAt: s.createdAt! });
    // v1 had no lifecycle: no handoff, tasks or follow-ups yet (they start with the next exchange),
    // and its settings are read again.
    s = { ...base, ...(s as object), version: 2, settingsLoaded: false };
  }
  if (s.version === 2) {
    // v2 kept no record of broker commands.
    s = { ...s, version: 3, commands: [], commandSeq: 0 };
  }
  return s as unknown as LeadState;
}

export function resolveTimeZone(candidate: string | null | undefined, fallback: string): string {
  if (candidate && isValidTimeZone(candidate)) return candidate;
  return isValidTimeZone(fallback) ? fallback : 'UTC';
}
