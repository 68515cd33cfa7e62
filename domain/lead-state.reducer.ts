import type { AgentTurnResult, ConversationMessage, UnitMatch, AgentIntent } from './agent.types';
import type { InboundMessage } from './inbound-message.schema';
import { emptyProfile, type Channel, type LeadProfile, type Market, type Qualification } from './profile.schema';
import {
  BrokerMessageInput,
  ClaimInput,
  CompleteTaskInput,
  AddTaskInput,
  MoveStageInput,
  NO_FOLLOW_UP_STAGES,
  OPEN_AI_STAGES,
  OverrideQualificationInput,
  checkStageMove,
  isClosed,
  parseCommand,
  type Rejection,
  type Stage,
} from './lead-stage.rules';
import {
  DEFAULT_FOLLOW_UP,
  anchorFollowUp,
  emptyFollowUp,
  nextFollowUp,
  resetFollowUp,
  type FollowUpConfig,
  type FollowUpState,
} from './follow-up.schedule';
import { DEFAULT_QUIET_HOURS, isValidTimeZone, type QuietHours } from './quiet-hours';

// The lead workflow's state and the pure functions that change it. The workflow keeps this
// as plain JSON (it crosses continue-as-new), and the `state` query returns it as is. Every
// timer is a due-at timestamp in here, so a new run (or a restarted worker) re-arms them from
// the state alone.

export const STATE_VERSION = 2;

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
}

export const DEFAULT_SETTINGS: LeadSettings = {
  slaMs: 5 * 60_000,
  maxEscalations: 3,
  followUp: DEFAULT_FOLLOW_UP,
  quietHours: DEFAULT_QUIET_HOURS,
  timeZone: 'Asia/Dubai',
  continueAsNewAfterEvents: 0,
};

export type HandoffReason = 'qualified' | 'asked_for_human' | 'stuck' | 'low_confidence' | 'takeover';
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
  erasedAt: string | null;
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
    erasedAt: null,
    generation: 1,
  };
}

/**
 * Brings state from any earlier version (a continue-as-new input written by older code) to
 * the current shape. Each version adds its fields with the defaults that keep old leads' behaviour.
 */
export function migrateState(raw: unknown): LeadState {
  const s = raw as Omit<Partial<LeadState>, 'version'> & { version?: number };
  if (!s || typeof s !== 'object' || typeof s.version !== 'number') throw new Error('lead state without a version');
  if (s.version > STATE_VERSION) throw new Error(`lead state version ${s.version} is newer than this code (${STATE_VERSION})`);
  if (s.version === 1) {
    const base = initialLeadState({ leadId: s.leadId!, market: s.market!, channel: s.channel!, createdAt: s.createdAt! });
    // v1 had no lifecycle: no handoff, tasks or follow-ups yet (they start with the next exchange),
    // and its settings are read again.
    return { ...base, ...(s as object), version: STATE_VERSION, settingsLoaded: false };
  }
  return s as unknown as LeadState;
}

/** How many provider ids to remember: enough to cover any retry window, bounded for history size. */
export const SEEN_IDS_LIMIT = 2000;
/** Transcript entries kept in workflow state; Postgres keeps the whole timeline. */
export const TRANSCRIPT_LIMIT = 1000;

const iso = (ms: number) => new Date(ms).toISOString();

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
  if (state.transcript.length > TRANSCRIPT_LIMIT) state.transcript = state.transcript.slice(-TRANSCRIPT_LIMIT);
  if (fresh.length > 0) {
    // Any reply resets the follow-up cadence; it restarts once we have answered.
    resetFollowUp(state.followUp);
    if (state.stage === 'new') state.stage = 'engaged';
  }
  return fresh;
}

function applyOverride(q: Qualification, o: QualificationOverride | null): Qualification {
  if (!o) return q;
  return {
    ...q,
    qualified: o.qualified,
    score: o.score ?? q.score,
    reasons: [...q.reasons.filter((r) => !r.startsWith('Manual:')), `Manual: ${o.reason} (${o.by})`],
  };
}

/** Applies an agent turn. Returns whether the lead just became qualified. */
export function applyAgentResult(state: LeadState, result: AgentTurnResult, replyId: string, at: string): { becameQualified: boolean } {
  const wasQualified = state.qualification?.qualified ?? false;
  state.turns += 1;
  state.profile = result.profile;
  state.qualification = applyOverride(result.qualification, state.qualificationOverride);
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
  if (result.reply) {
    state.transcript.push({ id: replyId, from: 'agent', text: result.reply, at });
    anchorFollowUp(state.followUp, at);
  }
  if (result.intents.some((i) => i.kind === 'opt_out')) state.optedOut = true;
  if (state.qualification.qualified && (state.stage === 'new' || state.stage === 'engaged')) state.stage = 'qualified';
  return { becameQualified: !wasQualified && state.qualification.qualified };
}

/** The handoff an agent turn asks for: a person asked, the agent is unsure, or the lead just qualified. */
export function handoffReasonFor(intents: AgentIntent[], becameQualified: boolean): HandoffReason | null {
  const reasons = intents.flatMap((i) => (i.kind === 'handoff' ? [i.reason] : []));
  for (const r of ['asked_for_human', 'stuck', 'low_confidence'] as const) if (reasons.includes(r)) return r;
  if (becameQualified) return 'qualified';
  return null;
}

/** The conversation as the agent reads it. */
export function conversation(state: LeadState): ConversationMessage[] {
  return state.transcript.map(({ from, text, at }) => ({ from, text, at }));
}

// ---- Handoff ----

const handoffActive = (s: LeadState) => s.handoff.status === 'routing' || s.handoff.status === 'offered' || s.handoff.status === 'pool';

/** Starts a handoff unless one is running, a broker owns the lead, or it is closed/opted out. */
export function requestHandoff(s: LeadState, reason: HandoffReason, at: string): boolean {
  if (s.erasedAt || s.optedOut || s.ownerId || handoffActive(s) || isClosed(s.stage)) return false;
  s.handoff = { ...emptyHandoff(), status: 'routing', reason, seq: s.handoff.seq + 1, requestedAt: at };
  if (OPEN_AI_STAGES.includes(s.stage)) s.stage = 'handoff';
  return true;
}

export function offerHandoff(s: LeadState, brokerId: string, nowMs: number): void {
  s.handoff.status = 'offered';
  s.handoff.offeredTo = brokerId;
  s.handoff.tried = [...s.handoff.tried, brokerId];
  s.handoff.slaDueAt = iso(nowMs + s.settings.slaMs);
}

/** The named broker missed the SLA: try the next one, or the shared pool after the last escalation. */
export function escalateHandoff(s: LeadState): 'rerouted' | 'pool' {
  s.handoff.escalations += 1;
  s.handoff.offeredTo = null;
  s.handoff.slaDueAt = null;
  if (s.handoff.escalations >= s.settings.maxEscalations) {
    s.handoff.status = 'pool';
    return 'pool';
  }
  s.handoff.status = 'routing';
  return 'rerouted';
}

export function sendHandoffToPool(s: LeadState): void {
  s.handoff.status = 'pool';
  s.handoff.offeredTo = null;
  s.handoff.slaDueAt = null;
}

function cancelHandoff(s: LeadState): void {
  if (handoffActive(s)) {
    s.handoff.status = 'none';
    s.handoff.offeredTo = null;
    s.handoff.slaDueAt = null;
    if (s.stage === 'handoff') s.stage = s.qualification?.qualified ? 'qualified' : 'engaged';
  }
}

// ---- Follow-ups ----

export function followUpActive(s: LeadState): boolean {
  return !s.optedOut && !s.erasedAt && s.ownerId === null && !NO_FOLLOW_UP_STAGES.includes(s.stage) && s.followUp.anchorAt !== null;
}

/** Recomputes the next nudge from the state; returns whether it changed. */
export function refreshFollowUp(s: LeadState): boolean {
  const before = `${s.followUp.dueAt}|${s.followUp.deferredFrom}`;
  const next = followUpActive(s) ? nextFollowUp({ followUp: s.followUp, config: s.settings.followUp, quiet: s.settings.quietHours, timeZone: s.settings.timeZone }) : null;
  s.followUp.dueAt = next ? iso(next.dueAt) : null;
  s.followUp.deferredFrom = next?.deferredFrom ? iso(next.deferredFrom) : null;
  return before !== `${s.followUp.dueAt}|${s.followUp.deferredFrom}`;
}

/** Follow-ups that were off (owner, stage) and are on again start from now, not from an old anchor. */
function resumeFollowUps(s: LeadState, wasActive: boolean, at: string): void {
  if (wasActive || s.optedOut || s.erasedAt) return;
  const last = s.transcript[s.transcript.length - 1];
  if (last && last.from !== 'lead') anchorFollowUp(s.followUp, at);
  else resetFollowUp(s.followUp);
}

// ---- Commands: validators (pure, no change) and the changes they make. ----

function common(s: LeadState): Rejection | null {
  if (s.erasedAt) return { code: 'erased', message: "This lead's personal data was erased; it takes no more commands" };
  return null;
}

export function validateClaim(s: LeadState, input: unknown): Rejection | null {
  const parsed = parseCommand(ClaimInput, input);
  if (!parsed.ok) return parsed.rejection;
  const c = common(s);
  if (c) return c;
  if (isClosed(s.stage)) return { code: 'lead_closed', message: `The lead is ${s.stage}; re-open it before claiming`, details: { stage: s.stage } };
  if (s.ownerId && s.ownerId !== parsed.value.brokerId) {
    return { code: 'already_claimed', message: `The lead is already claimed by ${s.ownerId}`, details: { ownerId: s.ownerId } };
  }
  return null;
}

export function claimLead(s: LeadState, brokerId: string, at: string): void {
  if (s.ownerId === brokerId) return;
  const pending = handoffActive(s);
  s.ownerId = brokerId;
  s.handoff = {
    ...s.handoff,
    status: 'claimed',
    reason: pending ? s.handoff.reason : 'takeover',
    seq: pending ? s.handoff.seq : s.handoff.seq + 1,
    offeredTo: null,
    slaDueAt: null,
    claimedAt: at,
  };
  if (OPEN_AI_STAGES.includes(s.stage)) s.stage = 'claimed';
  s.brokerReply = { since: null, dueAt: null, reminders: s.brokerReply.reminders };
}

export function validateRelease(s: LeadState): Rejection | null {
  const c = common(s);
  if (c) return c;
  if (!s.ownerId) return { code: 'not_claimed', message: 'The lead is not claimed by a broker; the AI already handles it' };
  return null;
}

export function releaseLead(s: LeadState, at: string): void {
  const wasActive = followUpActive(s);
  s.ownerId = null;
  s.handoff = { ...s.handoff, status: 'none', offeredTo: null, slaDueAt: null };
  if (s.stage === 'claimed') s.stage = s.qualification?.qualified ? 'qualified' : 'engaged';
  s.brokerReply = { since: null, dueAt: null, reminders: s.brokerReply.reminders };
  resumeFollowUps(s, wasActive, at);
}

export function validateMoveStage(s: LeadState, input: unknown): Rejection | null {
  const parsed = parseCommand(MoveStageInput, input);
  if (!parsed.ok) return parsed.rejection;
  return common(s) ?? checkStageMove(s.stage, parsed.value.stage);
}

export function moveStage(s: LeadState, input: MoveStageInput, at: string): void {
  const wasActive = followUpActive(s);
  s.stage = input.stage;
  s.stageReason = input.reason;
  if (isClosed(input.stage)) {
    cancelHandoff(s);
    s.brokerReply = { since: null, dueAt: null, reminders: s.brokerReply.reminders };
  }
  resumeFollowUps(s, wasActive, at);
}

export function validateOverrideQualification(s: LeadState, input: unknown): Rejection | null {
  const parsed = parseCommand(OverrideQualificationInput, input);
  if (!parsed.ok) return parsed.rejection;
  return common(s);
}

/** A broker's manual qualification; it sticks across later agent turns. Returns whether the lead just became qualified. */
export function overrideQualification(s: LeadState, input: OverrideQualificationInput, at: string): { becameQualified: boolean } {
  const wasQualified = s.qualification?.qualified ?? false;
  s.qualificationOverride = { qualified: input.qualified, score: input.score ?? null, reason: input.reason, by: input.by, at };
  const base: Qualification = s.qualification ?? { score: input.score ?? (input.qualified ? 60 : 0), qualified: input.qualified, breakdown: [], reasons: [] };
  s.qualification = applyOverride(base, s.qualificationOverride);
  if (input.qualified && (s.stage === 'new' || s.stage === 'engaged')) s.stage = 'qualified';
  if (!input.qualified && s.stage === 'qualified') s.stage = 'engaged';
  return { becameQualified: !wasQualified && input.qualified };
}

export const TASK_LIMIT = 200;

export function validateAddTask(s: LeadState, input: unknown, nowMs: number): Rejection | null {
  const parsed = parseCommand(AddTaskInput, input);
  if (!parsed.ok) return parsed.rejection;
  const c = common(s);
  if (c) return c;
  const due = Date.parse(parsed.value.dueAt);
  if (due <= nowMs) return { code: 'task_due_in_past', message: `A task must be due in the future (dueAt ${parsed.value.dueAt} has passed)`, details: { dueAt: parsed.value.dueAt, now: iso(nowMs) } };
  if (s.tasks.length >= TASK_LIMIT) return { code: 'too_many_tasks', message: `A lead holds at most ${TASK_LIMIT} tasks` };
  return null;
}

export function addTask(s: LeadState, input: AddTaskInput, id: string, at: string): LeadTask {
  const task: LeadTask = {
    id,
    title: input.title,
    dueAt: iso(Date.parse(input.dueAt)),
    assignee: input.assignee ?? s.ownerId,
    createdAt: at,
    completedAt: null,
    remindedAt: null,
  };
  s.tasks.push(task);
  return task;
}

export function validateCompleteTask(s: LeadState, input: unknown): Rejection | null {
  const parsed = parseCommand(CompleteTaskInput, input);
  if (!parsed.ok) return parsed.rejection;
  const c = common(s);
  if (c) return c;
  const task = s.tasks.find((t) => t.id === parsed.value.taskId);
  if (!task) return { code: 'task_not_found', message: `No task ${parsed.value.taskId} on this lead`, details: { taskId: parsed.value.taskId } };
  if (task.completedAt) return { code: 'task_completed', message: `Task ${task.id} was completed at ${task.completedAt}`, details: { taskId: task.id } };
  return null;
}

export function completeTask(s: LeadState, taskId: string, at: string): LeadTask {
  const task = s.tasks.find((t) => t.id === taskId)!;
  task.completedAt = at;
  return task;
}

export function validateBrokerMessage(s: LeadState, input: unknown): Rejection | null {
  const parsed = parseCommand(BrokerMessageInput, input);
  if (!parsed.ok) return parsed.rejection;
  const c = common(s);
  if (c) return c;
  if (s.optedOut) return { code: 'opted_out', message: 'The lead opted out; no more messages may be sent' };
  if (!s.ownerId) return { code: 'not_claimed', message: 'Claim the lead before messaging it' };
  return null;
}

/** Adds the broker's message to the transcript; returns its number (the idempotency key's suffix). */
export function recordBrokerMessage(s: LeadState, text: string, at: string): number {
  s.brokerMessages += 1;
  s.transcript.push({ id: `broker-${s.brokerMessages}`, from: 'broker', text, at });
  s.brokerReply = { since: null, dueAt: null, reminders: s.brokerReply.reminders };
  anchorFollowUp(s.followUp, at);
  return s.brokerMessages;
}

/** The lead wrote while a broker owns it: the owner has one SLA to answer. */
export function noteInboundWhileOwned(s: LeadState, nowMs: number): void {
  if (!s.ownerId || s.brokerReply.dueAt) return;
  s.brokerReply.since = iso(nowMs);
  s.brokerReply.dueAt = iso(nowMs + s.settings.slaMs);
}

/** Opt-out stops everything that reaches out: follow-ups, the handoff chase, reply reminders. */
export function applyOptOut(s: LeadState): void {
  s.optedOut = true;
  cancelHandoff(s);
  s.brokerReply = { since: null, dueAt: null, reminders: s.brokerReply.reminders };
  resetFollowUp(s.followUp);
}

export const ERASED_TEXT = '[erased]';

/** Erases personal data from the state (the transcript's words, the profile, free text); keeps counters and ids. */
export function eraseState(s: LeadState, at: string): void {
  applyOptOut(s);
  s.erasedAt = at;
  s.transcript = s.transcript.map((t) => ({ ...t, text: ERASED_TEXT }));
  s.profile = emptyProfile();
  s.matches = [];
  s.askedFor = null;
  s.stageReason = null;
  if (s.qualification) s.qualification = { ...s.qualification, breakdown: [], reasons: [] };
  if (s.qualificationOverride) s.qualificationOverride = { ...s.qualificationOverride, reason: ERASED_TEXT };
  s.tasks = s.tasks.map((t) => ({ ...t, title: ERASED_TEXT }));
}

// ---- Timers: all due-at timestamps in the state, the earliest one wakes the workflow. ----

export type TimerKind = 'handoff_sla' | 'broker_reply' | 'follow_up' | 'task';
export interface Timer {
  kind: TimerKind;
  at: number;
  taskId?: string;
}

export function pendingTimers(s: LeadState): Timer[] {
  const timers: Timer[] = [];
  if (s.erasedAt) return timers;
  if (s.handoff.status === 'offered' && s.handoff.slaDueAt) timers.push({ kind: 'handoff_sla', at: Date.parse(s.handoff.slaDueAt) });
  if (s.ownerId && s.brokerReply.dueAt) timers.push({ kind: 'broker_reply', at: Date.parse(s.brokerReply.dueAt) });
  if (followUpActive(s) && s.followUp.dueAt) timers.push({ kind: 'follow_up', at: Date.parse(s.followUp.dueAt) });
  for (const t of s.tasks) if (!t.completedAt && !t.remindedAt) timers.push({ kind: 'task', at: Date.parse(t.dueAt), taskId: t.id });
  return timers.sort((a, b) => a.at - b.at);
}

export function nextTimerAt(s: LeadState): number | null {
  return pendingTimers(s)[0]?.at ?? null;
}

export function dueTimers(s: LeadState, nowMs: number): Timer[] {
  return pendingTimers(s).filter((t) => t.at <= nowMs);
}

// ---- What callers see ----

export interface LeadSnapshot {
  leadId: string;
  stage: Stage;
  ownerId: string | null;
  qualified: boolean;
  score: number | null;
  handoff: { status: HandoffStatus; offeredTo: string | null; slaDueAt: string | null };
  nextFollowUpAt: string | null;
  openTasks: number;
  optedOut: boolean;
}

export function snapshot(s: LeadState): LeadSnapshot {
  return {
    leadId: s.leadId,
    stage: s.stage,
    ownerId: s.ownerId,
    qualified: s.qualification?.qualified ?? false,
    score: s.qualification?.score ?? null,
    handoff: { status: s.handoff.status, offeredTo: s.handoff.offeredTo, slaDueAt: s.handoff.slaDueAt },
    nextFollowUpAt: followUpActive(s) ? s.followUp.dueAt : null,
    openTasks: s.tasks.filter((t) => !t.completedAt).length,
    optedOut: s.optedOut,
  };
}

/** The SLA shown on list pages: the claim deadline, else the deadline to answer the lead. */
export function slaDueAt(s: LeadState): string | null {
  if (s.handoff.status === 'offered') return s.handoff.slaDueAt;
  if (s.ownerId) return s.brokerReply.dueAt;
  return null;
}

export function resolveTimeZone(candidate: string | null | undefined, fallback: string): string {
  if (candidate && isValidTimeZone(candidate)) return candidate;
  return isValidTimeZone(fallback) ? fallback : 'UTC';
}
