import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { LeadActivities } from '../activities/lead.activities';
import type { InboundMessage } from '../domain/inbound-message.schema';
import type { Channel, Market } from '../domain/profile.schema';
import {
  LEAD_SIGNALS,
  LEAD_UPDATES,
  isStopMessage,
  type AddTaskInput,
  type BrokerMessageInput,
  type ClaimInput,
  type CompleteTaskInput,
  type MoveStageInput,
  type OverrideQualificationInput,
  type Rejection,
} from '../domain/lead-stage.rules';
import {
  acceptInbound,
  addTask,
  applyAgentResult,
  applyOptOut,
  claimLead,
  completeTask,
  conversation,
  dueTimers,
  eraseState,
  escalateHandoff,
  followUpActive,
  handoffReasonFor,
  initialLeadState,
  migrateState,
  moveStage,
  nextTimerAt,
  noteInboundWhileOwned,
  offerHandoff,
  overrideQualification,
  recordBrokerMessage,
  refreshFollowUp,
  releaseLead,
  requestHandoff,
  sendHandoffToPool,
  slaDueAt,
  snapshot,
  validateAddTask,
  validateBrokerMessage,
  validateClaim,
  validateCompleteTask,
  validateMoveStage,
  validateOverrideQualification,
  validateRelease,
  type HandoffReason,
  type LeadSettings,
  type LeadSnapshot,
  type LeadState,
  type LeadTask,
} from '../domain/lead-state.reducer';
import { followUpOffsets, markNudgeSent, nudgeText } from '../domain/follow-up.schedule';
import { deferOutOfQuietHours, isQuietAt } from '../domain/quiet-hours';
import { ChannelKey, LeadScoreKey, LeadStageKey, OwnerIdKey, QualifiedKey } from '../temporal/search-attributes';

export interface LeadWorkflowInput {
  leadId: string;
  market: Market;
  channel: Channel;
  createdAt: string;
  /** Milliseconds to wait after a message for more before answering (a burst is one turn). */
  coalesceMs?: number;
  /** Lifecycle settings chosen by the starter; anything left out comes from the worker's configuration. */
  settings?: Partial<LeadSettings>;
  /** Present when continuing as new: the whole state, versioned JSON (see migrateState). */
  state?: LeadState;
  /** Messages signalled to the previous run that it had not taken in yet. */
  pendingInbound?: InboundMessage[];
}

export const inboundSignal = defineSignal<[InboundMessage]>(LEAD_SIGNALS.inbound);
/** The lead opted out through a channel (STOP at the edge, an unsubscribe link): nothing more goes out. */
export const optOutSignal = defineSignal(LEAD_SIGNALS.optOut);
/** Personal data erased from the workflow state; the run then ends. */
export const eraseSignal = defineSignal(LEAD_SIGNALS.erase);
export const stateQuery = defineQuery<LeadState>('state');

export const claimUpdate = defineUpdate<LeadSnapshot, [ClaimInput]>(LEAD_UPDATES.claim);
export const releaseUpdate = defineUpdate<LeadSnapshot, []>(LEAD_UPDATES.release);
export const moveStageUpdate = defineUpdate<LeadSnapshot, [MoveStageInput]>(LEAD_UPDATES.moveStage);
export const overrideQualificationUpdate = defineUpdate<LeadSnapshot, [OverrideQualificationInput]>(LEAD_UPDATES.overrideQualification);
export const addTaskUpdate = defineUpdate<LeadTask, [AddTaskInput]>(LEAD_UPDATES.addTask);
export const completeTaskUpdate = defineUpdate<LeadTask, [CompleteTaskInput]>(LEAD_UPDATES.completeTask);
export const brokerMessageUpdate = defineUpdate<{ messageId: string; status: string }, [BrokerMessageInput]>(LEAD_UPDATES.brokerMessage);

/** Everything since the handoff/follow-up/tasks work runs on this path; older histories replay the loop below. */
export const LIFECYCLE_PATCH = 'lead-lifecycle-v1';

const { agentTurn } = proxyActivities<LeadActivities>({
  // The agent's own budget is 60 s and 10 tool calls; heartbeats let a dead worker be noticed fast.
  // Two failed attempts (error, time limit) and the lead goes to a person instead.
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: '5 seconds',
  retry: { maximumAttempts: 2, initialInterval: '1 second' },
});

const { recordInbound, deliverReply, persistProjection, loadLeadContext, checkBroker, routeLead, recordLeadEvent, saveTask, remindTask } =
  proxyActivities<LeadActivities>({
    startToCloseTimeout: '20 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });

function reject(rejection: Rejection | null): void {
  if (rejection) throw ApplicationFailure.create({ type: rejection.code, message: rejection.message, details: [rejection.details ?? {}], nonRetryable: true });
}

const nowIso = () => new Date(Date.now()).toISOString();

/** Side effects an update asks the main loop to run; the update waits for the result. */
type EffectInput = { kind: 'broker_message'; n: number; text: string } | { kind: 'save_task'; task: LeadTask };
type Effect = EffectInput & { id: number };

export async function leadWorkflow(input: LeadWorkflowInput): Promise<void> {
  if (!patched(LIFECYCLE_PATCH)) return legacyLeadLoop(input);

  const wfId = workflowInfo().workflowId;
  const s: LeadState = input.state
    ? migrateState(input.state)
    : initialLeadState({ leadId: input.leadId, market: input.market, channel: input.channel, createdAt: input.createdAt });
  const inbox: InboundMessage[] = [...(input.pendingInbound ?? [])];
  const effects: Effect[] = [];
  const effectResults = new Map<number, unknown>();
  let effectSeq = 0;
  let dirty = false;
  let optOutRequested = false;
  let eraseRequested = false;
  let turnRequested = false;

  // Handlers validate, change the state through the pure reducer and queue side effects; the
  // main loop below does all the I/O, in order.
  setHandler(inboundSignal, (message) => {
    inbox.push(message);
  });
  setHandler(optOutSignal, () => {
    optOutRequested = true;
  });
  setHandler(eraseSignal, () => {
    eraseRequested = true;
  });
  setHandler(stateQuery, () => s);

  const enqueue = async <T>(effect: EffectInput): Promise<T> => {
    const id = ++effectSeq;
    effects.push({ ...effect, id });
    await condition(() => effectResults.has(id));
    const result = effectResults.get(id) as T;
    effectResults.delete(id);
    return result;
  };

  setHandler(
    claimUpdate,
    async (cmd) => {
      const broker = await checkBroker({ brokerId: cmd.brokerId });
      if (!broker.exists || !broker.active) reject({ code: 'unknown_broker', message: `No active broker ${cmd.brokerId}`, details: { brokerId: cmd.brokerId } });
      // The state may have moved on while the broker was looked up (another claim won).
      reject(validateClaim(s, cmd));
      claimLead(s, cmd.brokerId, nowIso());
      dirty = true;
      return snapshot(s);
    },
    { validator: (cmd) => reject(validateClaim(s, cmd)) },
  );

  setHandler(
    releaseUpdate,
    () => {
      releaseLead(s, nowIso());
      // The lead may be waiting for an answer the broker never gave: the AI picks it up.
      turnRequested = s.transcript[s.transcript.length - 1]?.from === 'lead' && !s.optedOut;
      dirty = true;
      return snapshot(s);
    },
    { validator: () => reject(validateRelease(s)) },
  );

  setHandler(
    moveStageUpdate,
    (cmd) => {
      moveStage(s, cmd, nowIso());
      dirty = true;
      return snapshot(s);
    },
    { validator: (cmd) => reject(validateMoveStage(s, cmd)) },
  );

  setHandler(
    overrideQualificationUpdate,
    (cmd) => {
      const at = nowIso();
      const { becameQualified } = overrideQualification(s, cmd, at);
      if (becameQualified) requestHandoff(s, 'qualified', at);
      dirty = true;
      return snapshot(s);
    },
    { validator: (cmd) => reject(validateOverrideQualification(s, cmd)) },
  );

  setHandler(
    addTaskUpdate,
    async (cmd) => {
      const task = addTask(s, cmd, uuid4(), nowIso());
      dirty = true;
      await enqueue({ kind: 'save_task', task: { ...task } });
      return task;
    },
    { validator: (cmd) => reject(validateAddTask(s, cmd, Date.now())) },
  );

  setHandler(
    completeTaskUpdate,
    async (cmd) => {
      const task = completeTask(s, cmd.taskId, nowIso());
      dirty = true;
      await enqueue({ kind: 'save_task', task: { ...task } });
      return task;
    },
    { validator: (cmd) => reject(validateCompleteTask(s, cmd)) },
  );

  setHandler(
    brokerMessageUpdate,
    async (cmd) => {
      const text = cmd.text.trim();
      const n = recordBrokerMessage(s, text, nowIso());
      dirty = true;
      return enqueue<{ messageId: string; status: string }>({ kind: 'broker_message', n, text });
    },
    { validator: (cmd) => reject(validateBrokerMessage(s, cmd)) },
  );

  // ---- The work the loop does ----

  async function persist(): Promise<void> {
    dirty = false;
    // Search attributes go with the same workflow task, so they are current before the read model is.
    publishState(s);
    await persistProjection({
      leadId: s.leadId,
      stage: s.stage,
      profile: s.profile,
      qualification: s.qualification,
      ownerId: s.ownerId,
      lastMessageAt: s.lastInboundAt,
      nextFollowUpAt: followUpActive(s) ? s.followUp.dueAt : null,
      slaDueAt: slaDueAt(s),
      qualificationBy: s.qualificationOverride?.by ?? null,
    });
  }

  function handOff(reason: HandoffReason): void {
    if (requestHandoff(s, reason, nowIso())) {
      dirty = true;
      log.info('handoff requested', { reason, seq: s.handoff.seq });
    }
  }

  function optOut(): void {
    applyOptOut(s);
    dirty = true;
  }

  async function runAgentTurn(inReplyTo: string[]): Promise<void> {
    // A turn reads the whole conversation, so it answers whatever a release asked for too.
    turnRequested = false;
    const turnId = `${wfId}:turn:${s.turns + 1}`;
    let result;
    try {
      result = await agentTurn({ leadId: s.leadId, market: s.market, channel: s.channel, messages: conversation(s) });
    } catch (err) {
      if (isCancellation(err) || !(err instanceof ActivityFailure)) throw err;
      // The agent failed or ran out of time on every attempt: a person takes over.
      s.agentFailures += 1;
      log.warn('agent turn failed; handing off', { failures: s.agentFailures });
      handOff('stuck');
      dirty = true;
      return;
    }
    if (s.ownerId) {
      // A broker claimed the lead while the agent was thinking: keep what it learned, send
      // nothing, and start the owner's clock for the unanswered message.
      applyAgentResult(s, { ...result, reply: '', intents: result.intents.filter((i) => i.kind === 'opt_out') }, uuid4(), nowIso());
      if (s.optedOut) optOut();
      else noteInboundWhileOwned(s, Date.now());
      dirty = true;
      return;
    }
    const wasOptedOut = s.optedOut;
    const { becameQualified } = applyAgentResult(s, result, uuid4(), nowIso());
    // An opt-out still gets its one confirmation; nothing is sent after it.
    if (result.reply) {
      await deliverReply({ leadId: s.leadId, channel: s.channel, text: result.reply, idempotencyKey: turnId, inReplyTo });
    }
    if (s.optedOut && !wasOptedOut) optOut();
    const reason = handoffReasonFor(result.intents, becameQualified);
    if (reason) handOff(reason);
    dirty = true;
  }

  async function takeInbound(): Promise<void> {
    // A broker reads every message as it comes; only the AI waits for the burst to end.
    if (input.coalesceMs && input.coalesceMs > 0 && !s.ownerId) await sleep(input.coalesceMs);
    const fresh = acceptInbound(s, inbox.splice(0));
    if (fresh.length === 0) return;
    dirty = true;
    // Who owns the lead when the message arrives decides who answers it; a release while it
    // is being recorded asks for a turn itself.
    const owned = s.ownerId !== null;
    await recordInbound({ leadId: s.leadId, messages: fresh });
    if (s.erasedAt) return;
    if (owned) {
      // The AI stays quiet for a broker-owned lead, but STOP is still honoured at once.
      if (fresh.some((m) => isStopMessage(m.text))) optOut();
      else if (!s.optedOut) noteInboundWhileOwned(s, Date.now());
      return;
    }
    if (s.optedOut) return;
    await runAgentTurn(fresh.map((m) => m.providerId));
  }

  async function runEffects(): Promise<void> {
    while (effects.length > 0) {
      const effect = effects.shift()!;
      if (effect.kind === 'save_task') {
        await saveTask({ leadId: s.leadId, task: effect.task });
        effectResults.set(effect.id, effect.task);
      } else {
        const key = `${wfId}:broker:${effect.n}`;
        if (s.optedOut) {
          // The lead opted out after the message was accepted: it must not go out.
          effectResults.set(effect.id, { messageId: key, status: 'suppressed_opted_out' });
          continue;
        }
        const sent = await deliverReply({ leadId: s.leadId, channel: s.channel, text: effect.text, idempotencyKey: key, inReplyTo: [], actor: 'broker' });
        effectResults.set(effect.id, { messageId: key, status: sent.status });
      }
    }
  }

  async function routeHandoff(): Promise<void> {
    const seq = s.handoff.seq;
    const { brokerId } = await routeLead({ leadId: s.leadId, exclude: s.handoff.tried });
    // A claim (or opt-out) may have landed while routing ran; then the pick is moot.
    if (s.handoff.status !== 'routing' || s.handoff.seq !== seq) return;
    dirty = true;
    if (brokerId) {
      offerHandoff(s, brokerId, Date.now());
      await recordLeadEvent({
        leadId: s.leadId,
        type: 'handoff',
        body: `Handed to ${brokerId} (${s.handoff.reason}); claim by ${s.handoff.slaDueAt}`,
        idempotencyKey: `${wfId}:handoff:${seq}:offer:${s.handoff.tried.length}`,
        brokerId,
        meta: { reason: s.handoff.reason, slaDueAt: s.handoff.slaDueAt, attempt: s.handoff.tried.length, escalations: s.handoff.escalations },
      });
    } else {
      sendHandoffToPool(s);
      await raisePoolAlert(seq, 'no broker is available');
    }
  }

  async function raisePoolAlert(seq: number, why: string): Promise<void> {
    s.alerts += 1;
    await recordLeadEvent({
      leadId: s.leadId,
      type: 'alert',
      body: `Lead unclaimed (${why}); it is in the shared pool for any broker to claim`,
      idempotencyKey: `${wfId}:handoff:${seq}:pool`,
      brokerId: null,
      meta: { kind: 'handoff_unclaimed', reason: s.handoff.reason, tried: s.handoff.tried, escalations: s.handoff.escalations },
    });
  }

  async function sendNudge(nowMs: number): Promise<void> {
    const tz = s.settings.timeZone;
    if (isQuietAt(nowMs, tz, s.settings.quietHours)) {
      // A late timer (the worker was down) must still not land in quiet hours.
      s.followUp.notBefore = new Date(deferOutOfQuietHours(nowMs, tz, s.settings.quietHours)).toISOString();
      refreshFollowUp(s);
      dirty = true;
      return;
    }
    const n = s.followUp.sent + 1;
    const lastLead = [...s.transcript].reverse().find((t) => t.from === 'lead');
    const text = nudgeText({ profile: s.profile, step: s.followUp.step, cadenceSteps: s.settings.followUp.cadenceMs.length, seed: s.leadId, lastLeadText: lastLead?.text ?? null });
    const at = new Date(nowMs).toISOString();
    s.transcript.push({ id: `nudge-${n}`, from: 'agent', text, at, kind: 'nudge' });
    markNudgeSent(s.followUp, at);
    refreshFollowUp(s);
    dirty = true;
    await deliverReply({ leadId: s.leadId, channel: s.channel, text, idempotencyKey: `${wfId}:nudge:${n}`, inReplyTo: [] });
  }

  async function fireDueTimers(): Promise<void> {
    for (const timer of dueTimers(s, Date.now())) {
      const nowMs = Date.now();
      if (timer.kind === 'handoff_sla') {
        if (s.handoff.status !== 'offered' || !s.handoff.slaDueAt || Date.parse(s.handoff.slaDueAt) > nowMs) continue;
        const missed = s.handoff.offeredTo;
        const seq = s.handoff.seq;
        const attempt = s.handoff.tried.length;
        const outcome = escalateHandoff(s);
        dirty = true;
        await recordLeadEvent({
          leadId: s.leadId,
          type: 'handoff',
          body: `${missed} did not claim within the SLA (escalation ${s.handoff.escalations} of ${s.settings.maxEscalations})`,
          idempotencyKey: `${wfId}:handoff:${seq}:missed:${attempt}`,
          brokerId: missed,
          meta: { escalation: s.handoff.escalations, outcome },
        });
        // A claim may have landed while the miss was being recorded.
        if (outcome === 'pool' && currentHandoff().status === 'pool' && currentHandoff().seq === seq) await raisePoolAlert(seq, `${s.handoff.escalations} brokers missed the claim SLA`);
      } else if (timer.kind === 'broker_reply') {
        if (!s.ownerId || !s.brokerReply.dueAt) continue;
        s.brokerReply.reminders += 1;
        const since = s.brokerReply.since;
        s.brokerReply.dueAt = null;
        dirty = true;
        await recordLeadEvent({
          leadId: s.leadId,
          type: 'reminder',
          body: `The lead has been waiting for ${s.ownerId}'s answer since ${since}`,
          idempotencyKey: `${wfId}:broker-reply:${s.brokerReply.reminders}`,
          brokerId: s.ownerId,
          meta: { kind: 'broker_reply', since },
        });
      } else if (timer.kind === 'follow_up') {
        if (followUpActive(s)) await sendNudge(nowMs);
      } else if (timer.kind === 'task') {
        const task = s.tasks.find((t) => t.id === timer.taskId);
        if (!task || task.completedAt || task.remindedAt) continue;
        task.remindedAt = new Date(nowMs).toISOString();
        dirty = true;
        await remindTask({ leadId: s.leadId, task: { ...task }, idempotencyKey: `${wfId}:task:${task.id}:reminder` });
      }
    }
  }

  /** The handoff as it is now: read through a call so narrowing from before an await does not stick. */
  function currentHandoff(): LeadState['handoff'] {
    return s.handoff;
  }

  function continueAsNewDue(): boolean {
    const info = workflowInfo();
    const limit = s.settings.continueAsNewAfterEvents;
    return info.continueAsNewSuggested || (limit > 0 && info.historyLength >= limit);
  }

  // ---- Start: settings once per lead, then the loop ----

  if (!s.settingsLoaded) {
    const { settings } = await loadLeadContext({ leadId: s.leadId });
    s.settings = { ...settings, ...input.settings };
    s.settingsLoaded = true;
  }
  publishState(s);

  for (;;) {
    if (eraseRequested) {
      eraseState(s, nowIso());
      await persist();
      log.info('lead erased; run ends');
      return;
    }
    if (optOutRequested) {
      optOutRequested = false;
      optOut();
    }
    if (inbox.length > 0) await takeInbound();
    if (turnRequested) {
      turnRequested = false;
      if (!s.ownerId && !s.optedOut) await runAgentTurn([]);
    }
    await runEffects();
    await fireDueTimers();
    if (s.handoff.status === 'routing') await routeHandoff();
    if (refreshFollowUp(s)) dirty = true;
    if (dirty) await persist();

    const idle = () => inbox.length === 0 && effects.length === 0 && !dirty && !optOutRequested && !eraseRequested && !turnRequested && s.handoff.status !== 'routing';
    if (idle() && continueAsNewDue() && allHandlersFinished()) {
      s.generation += 1;
      log.info('continuing as new', { generation: s.generation, historyLength: workflowInfo().historyLength });
      await continueAsNew<typeof leadWorkflow>({
        leadId: input.leadId,
        market: input.market,
        channel: input.channel,
        createdAt: input.createdAt,
        coalesceMs: input.coalesceMs,
        state: s,
        pendingInbound: inbox.splice(0),
      });
    }

    const wake = () => !idle();
    const next = nextTimerAt(s);
    if (next === null) await condition(wake);
    else await condition(wake, Math.max(1, next - Date.now()));
  }
}

/** Search attributes and the run's current details: what ops read in the Temporal Web UI. */
function publishState(state: LeadState): void {
  upsertSearchAttributes([
    { key: LeadStageKey, value: state.stage },
    { key: LeadScoreKey, value: state.qualification?.score ?? 0 },
    { key: QualifiedKey, value: state.qualification?.qualified ?? false },
    { key: ChannelKey, value: state.channel },
    { key: OwnerIdKey, value: state.ownerId },
  ]);
  const score = state.qualification ? `${state.qualification.score}/100` : 'not scored';
  const h = state.handoff;
  const handoff =
    h.status === 'offered'
      ? `offered to ${h.offeredTo}, claim by ${h.slaDueAt} (escalation ${h.escalations}/${state.settings.maxEscalations})`
      : h.status === 'pool'
        ? 'in the shared pool (unclaimed)'
        : h.status === 'claimed'
          ? `claimed (${h.reason})`
          : h.status;
  const followUp = followUpActive(state) && state.followUp.dueAt ? `${state.followUp.dueAt} (nudge ${state.followUp.step + 1} of ${followUpOffsets(state.settings.followUp).length})` : 'none';
  const openTasks = state.tasks.filter((t) => !t.completedAt);
  setCurrentDetails(
    [
      `**Stage:** ${state.stage}`,
      `**Score:** ${score}`,
      `**Owner:** ${state.ownerId ?? 'AI'}`,
      `**Handoff:** ${handoff}`,
      `**SLA due:** ${slaDueAt(state) ?? '—'}`,
      `**Next follow-up:** ${followUp}`,
      `**Open tasks:** ${openTasks.length}`,
      `**Turns:** ${state.turns}`,
      ...(state.optedOut ? ['**Opted out**'] : []),
      `**Run:** ${state.generation}`,
    ].join('\n\n'),
  );
}

// ---- Before LIFECYCLE_PATCH ----
// The loop as it was, kept so leads started by earlier code replay unchanged (see
// docs/decisions/004-workflow-per-lead.md). It continues as new into the code above. Delete it
// (and deprecate the patch) once no run started before the patch is open.

async function legacyLeadLoop(input: LeadWorkflowInput): Promise<void> {
  const state: LeadState = input.state
    ? migrateState(input.state)
    : initialLeadState({ leadId: input.leadId, market: input.market, channel: input.channel, createdAt: input.createdAt });
  const inbox: InboundMessage[] = [];
  setHandler(inboundSignal, (message) => {
    inbox.push(message);
  });
  setHandler(stateQuery, () => state);
  legacyPublishState(state);

  for (;;) {
    await condition(() => inbox.length > 0);
    if (input.coalesceMs && input.coalesceMs > 0) await sleep(input.coalesceMs);

    const fresh = acceptInbound(state, inbox.splice(0));
    if (fresh.length === 0) continue;
    await recordInbound({ leadId: state.leadId, messages: fresh });

    const turnId = `${workflowInfo().workflowId}:turn:${state.turns + 1}`;
    const result = await agentTurn({ leadId: state.leadId, market: state.market, channel: state.channel, messages: conversation(state) });
    const at = new Date().toISOString();
    applyAgentResult(state, result, uuid4(), at);

    if (result.reply) {
      await deliverReply({
        leadId: state.leadId,
        channel: state.channel,
        text: result.reply,
        idempotencyKey: turnId,
        inReplyTo: fresh.map((m) => m.providerId),
      });
    }

    await persistProjection({
      leadId: state.leadId,
      stage: state.stage,
      profile: state.profile,
      qualification: state.qualification,
      ownerId: state.ownerId,
      lastMessageAt: state.lastInboundAt,
    });
    legacyPublishState(state);

    if (workflowInfo().continueAsNewSuggested && inbox.length === 0) {
      await continueAsNew<typeof leadWorkflow>({ ...input, state });
    }
  }
}

function legacyPublishState(state: LeadState): void {
  upsertSearchAttributes([
    { key: LeadStageKey, value: state.stage },
    { key: LeadScoreKey, value: state.qualification?.score ?? 0 },
    { key: QualifiedKey, value: state.qualification?.qualified ?? false },
    { key: ChannelKey, value: state.channel },
    { key: OwnerIdKey, value: state.ownerId },
  ]);
  setCurrentDetails([`**Stage:** ${state.stage}`, `**Turns:** ${state.turns}`, `**Owner:** ${state.ownerId ?? 'AI'}`].join('\n\n'));
}
