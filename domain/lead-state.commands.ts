import { produce } from 'immer';
import type { Actor } from './actor.schema';
import type { AgentTurnResult } from './agent.types';
import { anchorFollowUp, resetFollowUp } from './follow-up.schedule';
import type { InboundMessage } from './inbound-message.schema';
import type { AddTaskInput, MoveStageInput, OverrideQualificationInput } from './lead-command.contract';
import type { LeadUpdateName } from './lead-message-names.contract';
import { resumeFollowUps } from './lead-follow-up.commands';
import { cancelHandoff, handoffActive, requestHandoff } from './lead-handoff.commands';
import { OPEN_AI_STAGES, isClosed } from './lead-stage.rules';
import type { CommandRecord, LeadSettings, LeadState, LeadTask, QualificationOverride } from './lead-state.model';
import { followUpActive } from './lead-timers.rules';
import { emptyProfile } from './profile.defaults';
import type { Qualification } from './profile.schema';

// The lead's commands: pure functions that take the state and an input and return a new state
// (and whatever the caller needs: the fresh messages, the task, whether the lead just
// qualified). The workflow changes its state through these and nothing else.

/** How many provider ids to remember: enough to cover any retry window, bounded for history size. */
export const SEEN_IDS_LIMIT = 2000;
/** Transcript entries kept in workflow state; Postgres keeps the whole timeline. */
export const TRANSCRIPT_LIMIT = 1000;
/** Broker commands kept in workflow state; the timeline keeps them all. */
export const COMMAND_LOG_LIMIT = 100;
export const ERASED_TEXT = '[erased]';

const iso = (ms: number) => new Date(ms).toISOString();
const noReplyDue = (reminders: number) => ({ since: null, dueAt: null, reminders });

// ---- The conversation ----

/** Takes a batch of inbound messages in, dropping those seen before; `fresh` are the new ones. */
export function acceptInbound(s: LeadState, input: { messages: InboundMessage[] }): { state: LeadState; fresh: InboundMessage[] } {
  const seen = new Set(s.seenProviderIds);
  const fresh: InboundMessage[] = [];
  for (const message of input.messages) {
    if (seen.has(message.providerId)) continue;
    seen.add(message.providerId);
    fresh.push(message);
  }
  const state = produce(s, (d) => {
    for (const m of fresh) {
      d.transcript.push({ id: m.providerId, from: 'lead', text: m.text, at: m.receivedAt, kind: m.kind });
      d.lastInboundAt = m.receivedAt;
    }
    d.seenProviderIds = [...seen].slice(-SEEN_IDS_LIMIT);
    if (d.transcript.length > TRANSCRIPT_LIMIT) d.transcript = d.transcript.slice(-TRANSCRIPT_LIMIT);
    if (fresh.length > 0) {
      // Any reply resets the follow-up cadence; it restarts once we have answered.
      resetFollowUp(d.followUp);
      if (d.stage === 'new') d.stage = 'engaged';
    }
  });
  return { state, fresh };
}

function applyOverride(q: Qualification, o: QualificationOverride | null): Qualification {
  if (!o) return q;
  return { ...q, qualified: o.qualified, score: o.score ?? q.score, reasons: [...q.reasons.filter((r) => !r.startsWith('Manual:')), `Manual: ${o.reason} (${o.by})`] };
}

/** Applies an agent turn; `becameQualified` says whether the lead just qualified. */
export function applyAgentResult(s: LeadState, input: { result: AgentTurnResult; replyId: string; at: string }): { state: LeadState; becameQualified: boolean } {
  const { result, replyId, at } = input;
  const wasQualified = s.qualification?.qualified ?? false;
  const qualification = applyOverride(result.qualification, s.qualificationOverride);
  const state = produce(s, (d) => {
    d.turns += 1;
    d.profile = result.profile;
    d.qualification = qualification;
    d.askedFor = result.askedFor;
    d.lastIntents = result.intents;
    d.matches = result.matches.slice(0, 5).map((m) => ({ unitId: m.unit.id, title: m.unit.title, price: m.unit.price, currency: m.unit.currency, score: m.score, reasons: m.reasons }));
    if (result.reply) {
      d.transcript.push({ id: replyId, from: 'agent', text: result.reply, at });
      anchorFollowUp(d.followUp, at);
    }
    if (result.intents.some((i) => i.kind === 'opt_out')) d.optedOut = true;
    if (qualification.qualified && (d.stage === 'new' || d.stage === 'engaged')) d.stage = 'qualified';
  });
  return { state, becameQualified: !wasQualified && qualification.qualified };
}

/** The agent failed on every attempt. */
export function noteAgentFailure(s: LeadState): { state: LeadState } {
  return { state: produce(s, (d) => void (d.agentFailures += 1)) };
}

// ---- Broker commands ----

export function claimLead(s: LeadState, input: { brokerId: string; at: string }): { state: LeadState } {
  if (s.ownerId === input.brokerId) return { state: s };
  const pending = handoffActive(s);
  const state = produce(s, (d) => {
    d.ownerId = input.brokerId;
    d.handoff = {
      ...d.handoff,
      status: 'claimed',
      reason: pending ? d.handoff.reason : 'takeover',
      seq: pending ? d.handoff.seq : d.handoff.seq + 1,
      offeredTo: null,
      slaDueAt: null,
      claimedAt: input.at,
    };
    if (OPEN_AI_STAGES.includes(d.stage)) d.stage = 'claimed';
    d.brokerReply = noReplyDue(d.brokerReply.reminders);
  });
  return { state };
}

export function releaseLead(s: LeadState, input: { at: string }): { state: LeadState } {
  const wasActive = followUpActive(s);
  const state = produce(s, (d) => {
    d.ownerId = null;
    d.handoff = { ...d.handoff, status: 'none', offeredTo: null, slaDueAt: null };
    if (d.stage === 'claimed') d.stage = d.qualification?.qualified ? 'qualified' : 'engaged';
    d.brokerReply = noReplyDue(d.brokerReply.reminders);
    resumeFollowUps(d, wasActive, input.at);
  });
  return { state };
}

export function moveStage(s: LeadState, input: { move: MoveStageInput; at: string }): { state: LeadState } {
  const wasActive = followUpActive(s);
  const state = produce(s, (d) => {
    d.stage = input.move.stage;
    d.stageReason = input.move.reason;
    if (isClosed(input.move.stage)) {
      cancelHandoff(d);
      d.brokerReply = noReplyDue(d.brokerReply.reminders);
    }
    resumeFollowUps(d, wasActive, input.at);
  });
  return { state };
}

/** A broker's manual qualification; it sticks across later agent turns, and a fresh qualification starts a handoff. */
export function overrideQualification(s: LeadState, input: { override: OverrideQualificationInput; at: string }): { state: LeadState; becameQualified: boolean } {
  const { override: o, at } = input;
  const wasQualified = s.qualification?.qualified ?? false;
  const record: QualificationOverride = { qualified: o.qualified, score: o.score ?? null, reason: o.reason, by: o.by, at };
  const base: Qualification = s.qualification ?? { score: o.score ?? (o.qualified ? 60 : 0), qualified: o.qualified, breakdown: [], reasons: [] };
  const state = produce(s, (d) => {
    d.qualificationOverride = record;
    d.qualification = applyOverride(base, record);
    if (o.qualified && (d.stage === 'new' || d.stage === 'engaged')) d.stage = 'qualified';
    if (!o.qualified && d.stage === 'qualified') d.stage = 'engaged';
  });
  const becameQualified = !wasQualified && o.qualified;
  return { state: becameQualified ? requestHandoff(state, { reason: 'qualified', at }).state : state, becameQualified };
}

export function addTask(s: LeadState, input: { task: AddTaskInput; id: string; at: string }): { state: LeadState; task: LeadTask } {
  const task: LeadTask = {
    id: input.id,
    title: input.task.title,
    dueAt: iso(Date.parse(input.task.dueAt)),
    assignee: input.task.assignee ?? s.ownerId,
    createdAt: input.at,
    completedAt: null,
    remindedAt: null,
  };
  return { state: produce(s, (d) => void d.tasks.push(task)), task };
}

export function completeTask(s: LeadState, input: { taskId: string; at: string }): { state: LeadState; task: LeadTask } {
  const state = produce(s, (d) => {
    const task = d.tasks.find((t) => t.id === input.taskId)!;
    task.completedAt = input.at;
  });
  return { state, task: state.tasks.find((t) => t.id === input.taskId)! };
}

/** A task came due: stamped once, so it is never reminded twice. */
export function markTaskReminded(s: LeadState, input: { taskId: string; at: string }): { state: LeadState; task: LeadTask } {
  const state = produce(s, (d) => {
    const task = d.tasks.find((t) => t.id === input.taskId)!;
    task.remindedAt = input.at;
  });
  return { state, task: state.tasks.find((t) => t.id === input.taskId)! };
}

/** Adds the broker's message to the transcript; `n` is its number (the idempotency key's suffix). */
export function recordBrokerMessage(s: LeadState, input: { text: string; at: string; by?: Actor }): { state: LeadState; n: number } {
  const n = s.brokerMessages + 1;
  const state = produce(s, (d) => {
    d.brokerMessages = n;
    d.transcript.push({ id: `broker-${n}`, from: 'broker', text: input.text, at: input.at, ...(input.by ? { by: input.by } : {}) });
    d.brokerReply = noReplyDue(d.brokerReply.reminders);
    anchorFollowUp(d.followUp, input.at);
  });
  return { state, n };
}

/** Notes who gave a broker command (bounded log in state); the record goes on the timeline too. */
export function recordCommand(s: LeadState, input: { command: LeadUpdateName; at: string; by: Actor | null; summary: string }): { state: LeadState; record: CommandRecord } {
  const record: CommandRecord = { seq: s.commandSeq + 1, command: input.command, at: input.at, by: input.by, summary: input.summary };
  const state = produce(s, (d) => {
    d.commandSeq = record.seq;
    d.commands.push(record);
    if (d.commands.length > COMMAND_LOG_LIMIT) d.commands = d.commands.slice(-COMMAND_LOG_LIMIT);
  });
  return { state, record };
}

// ---- Opt-out, erase and the run's own bookkeeping ----

/** Opt-out stops everything that reaches out: follow-ups, the handoff chase, reply reminders. */
export function applyOptOut(s: LeadState): { state: LeadState } {
  return {
    state: produce(s, (d) => {
      d.optedOut = true;
      cancelHandoff(d);
      d.brokerReply = noReplyDue(d.brokerReply.reminders);
      resetFollowUp(d.followUp);
    }),
  };
}

/** START after STOP: the lead may be written to again (the channels it re-enabled decide where). */
export function applyOptIn(s: LeadState): { state: LeadState } {
  return { state: produce(s, (d) => void (d.optedOut = false)) };
}

/** Erases personal data from the state (the transcript's words, the profile, free text); keeps counters and ids. */
export function eraseState(s: LeadState, input: { at: string }): { state: LeadState } {
  return {
    state: produce(applyOptOut(s).state, (d) => {
      d.erasedAt = input.at;
      d.transcript = d.transcript.map((t) => ({ ...t, text: ERASED_TEXT }));
      d.profile = emptyProfile();
      d.matches = [];
      d.askedFor = null;
      d.stageReason = null;
      d.commands = d.commands.map((c) => ({ ...c, summary: ERASED_TEXT }));
      if (d.qualification) d.qualification = { ...d.qualification, breakdown: [], reasons: [] };
      if (d.qualificationOverride) d.qualificationOverride = { ...d.qualificationOverride, reason: ERASED_TEXT };
      d.tasks = d.tasks.map((t) => ({ ...t, title: ERASED_TEXT }));
    }),
  };
}

/** Retention asked for the lead's erasure: its timer is done (the erase signal follows). */
export function markRetentionRequested(s: LeadState, input: { at: string }): { state: LeadState } {
  return { state: produce(s, (d) => void (d.retentionRequestedAt = input.at)) };
}

/** The lead's settings, read once per lead (configuration merged with the starter's choices). */
export function loadSettings(s: LeadState, input: { settings: LeadSettings }): { state: LeadState } {
  return {
    state: produce(s, (d) => {
      d.settings = input.settings;
      d.settingsLoaded = true;
    }),
  };
}

/** An alert was raised on the lead; `n` numbers it (the idempotency key's suffix). */
export function raiseAlert(s: LeadState): { state: LeadState; n: number } {
  const n = s.alerts + 1;
  return { state: produce(s, (d) => void (d.alerts = n)), n };
}

export function nextGeneration(s: LeadState): { state: LeadState } {
  return { state: produce(s, (d) => void (d.generation += 1)) };
}
