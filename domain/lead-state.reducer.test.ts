import { describe, expect, it } from 'vitest';
import type { AgentTurnResult } from './agent.types';
import type { InboundMessage } from './inbound-message.schema';
import { emptyProfile, type Qualification } from './profile.schema';
import {
  DEFAULT_SETTINGS,
  ERASED_TEXT,
  STATE_VERSION,
  acceptInbound,
  addTask,
  applyAgentResult,
  applyOptOut,
  claimLead,
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
  pendingTimers,
  recordBrokerMessage,
  refreshFollowUp,
  releaseLead,
  requestHandoff,
  validateAddTask,
  validateBrokerMessage,
  validateClaim,
  validateCompleteTask,
  validateMoveStage,
  validateRelease,
  type LeadState,
} from './lead-state.reducer';

const T0 = Date.parse('2026-01-10T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const settings = { ...DEFAULT_SETTINGS, timeZone: 'UTC', quietHours: { startMinute: 0, endMinute: 0 } };

function lead(): LeadState {
  return initialLeadState({ leadId: 'l1', market: 'AE', channel: 'whatsapp', createdAt: iso(T0), settings });
}
const msg = (id: string, text = 'hi', at = T0): InboundMessage => ({ providerId: id, channel: 'whatsapp', kind: 'text', text, receivedAt: iso(at) });
const qual = (score: number): Qualification => ({ score, qualified: score >= 60, breakdown: [], reasons: [`score ${score}`] });
function result(over: Partial<AgentTurnResult> = {}): AgentTurnResult {
  return { reply: 'Hello!', profile: emptyProfile(), qualification: qual(20), matches: [], intents: [], toolCalls: [], askedFor: null, agent: 'offline', ...over };
}
/** A lead that wrote once and got an answer at T0 + 1 s. */
function answered(): LeadState {
  const s = lead();
  acceptInbound(s, [msg('m1')]);
  applyAgentResult(s, result(), 'r1', iso(T0 + 1000));
  refreshFollowUp(s);
  return s;
}

describe('conversation and follow-ups', () => {
  it('drops re-delivered messages and resets the cadence on every reply', () => {
    const s = answered();
    expect(s.followUp.dueAt).toBe(iso(T0 + 1000 + 10 * 60_000));
    expect(acceptInbound(s, [msg('m1')])).toHaveLength(0);
    expect(s.followUp.anchorAt).toBe(iso(T0 + 1000));
    expect(acceptInbound(s, [msg('m2', 'more')])).toHaveLength(1);
    expect(s.followUp).toMatchObject({ step: 0, anchorAt: null, dueAt: null });
    refreshFollowUp(s);
    expect(s.followUp.dueAt).toBeNull(); // the lead has the last word
    expect(s.transcript.map((t) => t.id)).toEqual(['m1', 'r1', 'm2']);
  });

  it('stops follow-ups for a claimed lead, a booked viewing, a closed stage and an opt-out', () => {
    const claimed = answered();
    claimLead(claimed, 'broker-amina', iso(T0));
    expect(followUpActive(claimed)).toBe(false);
    const viewing = answered();
    viewing.stage = 'viewing';
    expect(followUpActive(viewing)).toBe(false);
    const lost = answered();
    moveStage(lost, { stage: 'lost', reason: 'bought elsewhere' }, iso(T0));
    expect(followUpActive(lost)).toBe(false);
    const out = answered();
    applyOptOut(out);
    refreshFollowUp(out);
    expect(out.followUp.dueAt).toBeNull();
    expect(pendingTimers(out)).toEqual([]);
  });
});

describe('agent results and handoff triggers', () => {
  it('reports a fresh qualification once, and asking for a person first', () => {
    const s = lead();
    acceptInbound(s, [msg('m1')]);
    expect(applyAgentResult(s, result({ qualification: qual(70) }), 'r1', iso(T0)).becameQualified).toBe(true);
    expect(s.stage).toBe('qualified');
    expect(applyAgentResult(s, result({ qualification: qual(72) }), 'r2', iso(T0)).becameQualified).toBe(false);
    expect(handoffReasonFor([{ kind: 'handoff', reason: 'qualified' }], false)).toBeNull();
    expect(handoffReasonFor([{ kind: 'handoff', reason: 'qualified' }, { kind: 'handoff', reason: 'asked_for_human' }], true)).toBe('asked_for_human');
    expect(handoffReasonFor([], true)).toBe('qualified');
  });

  it('keeps a manual qualification across agent turns', () => {
    const s = answered();
    expect(overrideQualification(s, { qualified: true, score: 80, reason: 'met in person', by: 'broker-amina' }, iso(T0)).becameQualified).toBe(true);
    applyAgentResult(s, result({ qualification: qual(10) }), 'r2', iso(T0 + 5000));
    expect(s.qualification).toMatchObject({ qualified: true, score: 80 });
    expect(s.qualification?.reasons).toContain('Manual: met in person (broker-amina)');
  });
});

describe('handoff', () => {
  it('offers, escalates after each missed SLA and pools after the last', () => {
    const s = answered();
    expect(requestHandoff(s, 'asked_for_human', iso(T0))).toBe(true);
    expect(requestHandoff(s, 'qualified', iso(T0))).toBe(false); // one at a time
    expect(s.stage).toBe('handoff');
    for (const [i, broker] of ['a', 'b', 'c'].entries()) {
      offerHandoff(s, broker, T0 + i * 1000);
      expect(s.handoff.slaDueAt).toBe(iso(T0 + i * 1000 + settings.slaMs));
      expect(nextTimerAt(s)).toBe(T0 + i * 1000 + settings.slaMs);
      expect(escalateHandoff(s)).toBe(i < 2 ? 'rerouted' : 'pool');
    }
    expect(s.handoff).toMatchObject({ status: 'pool', tried: ['a', 'b', 'c'], escalations: 3, offeredTo: null, slaDueAt: null });
    expect(pendingTimers(s).some((t) => t.kind === 'handoff_sla')).toBe(false);
  });

  it('claims (ending the chase), silences nothing but the AI, reminds the owner, and releases back', () => {
    const s = answered();
    requestHandoff(s, 'qualified', iso(T0));
    offerHandoff(s, 'a', T0);
    expect(validateClaim(s, { brokerId: 'b' })).toBeNull();
    claimLead(s, 'b', iso(T0 + 1));
    expect(s).toMatchObject({ ownerId: 'b', stage: 'claimed', handoff: { status: 'claimed', reason: 'qualified', slaDueAt: null } });
    expect(validateClaim(s, { brokerId: 'c' })).toMatchObject({ code: 'already_claimed' });
    expect(validateClaim(s, { brokerId: 'b' })).toBeNull(); // the owner claiming again is a no-op

    noteInboundWhileOwned(s, T0 + 10);
    expect(dueTimers(s, T0 + 10 + settings.slaMs).map((t) => t.kind)).toContain('broker_reply');
    recordBrokerMessage(s, 'Hi, this is Bea', iso(T0 + 20));
    expect(s.brokerReply.dueAt).toBeNull();
    expect(s.transcript[s.transcript.length - 1]).toMatchObject({ from: 'broker', id: 'broker-1' });

    expect(validateRelease(s)).toBeNull();
    releaseLead(s, iso(T0 + 30));
    expect(s).toMatchObject({ ownerId: null, stage: 'engaged', handoff: { status: 'none' } });
    expect(s.followUp.anchorAt).toBe(iso(T0 + 30));
    expect(validateRelease(s)).toMatchObject({ code: 'not_claimed' });
  });

  it('a claim without a handoff is a takeover; closing the lead cancels a running handoff', () => {
    const s = answered();
    claimLead(s, 'a', iso(T0));
    expect(s.handoff).toMatchObject({ status: 'claimed', reason: 'takeover', seq: 1 });
    const t = answered();
    requestHandoff(t, 'asked_for_human', iso(T0));
    offerHandoff(t, 'a', T0);
    moveStage(t, { stage: 'lost', reason: 'not reachable' }, iso(T0));
    expect(t.handoff.status).toBe('none');
    expect(t.stage).toBe('lost');
    expect(validateClaim(t, { brokerId: 'a' })).toMatchObject({ code: 'lead_closed' });
  });
});

describe('validators change nothing and say why', () => {
  it('rejects bad moves, past tasks, unknown tasks and messages to unclaimed or opted-out leads', () => {
    const s = answered();
    const before = structuredClone(s);
    expect(validateMoveStage(s, { stage: 'won', reason: 'x' })).toMatchObject({ code: 'invalid_transition' });
    expect(validateMoveStage(s, { stage: 'won' })).toMatchObject({ code: 'invalid_input' });
    expect(validateAddTask(s, { title: 'Call', dueAt: iso(T0 - 1) }, T0)).toMatchObject({ code: 'task_due_in_past' });
    expect(validateAddTask(s, { title: 'Call', dueAt: iso(T0 + 1) }, T0)).toBeNull();
    expect(validateCompleteTask(s, { taskId: 'nope' })).toMatchObject({ code: 'task_not_found' });
    expect(validateBrokerMessage(s, { text: 'hi' })).toMatchObject({ code: 'not_claimed' });
    expect(s).toEqual(before);
    claimLead(s, 'a', iso(T0));
    applyOptOut(s);
    expect(validateBrokerMessage(s, { text: 'hi' })).toMatchObject({ code: 'opted_out' });
  });

  it('tasks default to the owner and complete once', () => {
    const s = answered();
    claimLead(s, 'a', iso(T0));
    const task = addTask(s, { title: 'Call', dueAt: '2026-01-10T14:00:00+04:00' }, 't1', iso(T0));
    expect(task).toMatchObject({ assignee: 'a', dueAt: '2026-01-10T10:00:00.000Z' });
    expect(dueTimers(s, T0).map((t) => t.taskId)).toEqual(['t1']);
    task.completedAt = iso(T0);
    expect(validateCompleteTask(s, { taskId: 't1' })).toMatchObject({ code: 'task_completed' });
    expect(pendingTimers(s).some((t) => t.kind === 'task')).toBe(false);
  });
});

describe('erase and versions', () => {
  it('erases the words and the profile but keeps the shape and counters', () => {
    const s = answered();
    s.profile = { ...emptyProfile(), city: 'Dubai', areas: ['Dubai Marina'] };
    addTask(s, { title: 'Call Omar', dueAt: iso(T0 + 1000) }, 't1', iso(T0));
    eraseState(s, iso(T0 + 5));
    expect(s.transcript.every((t) => t.text === ERASED_TEXT)).toBe(true);
    expect(s.transcript).toHaveLength(2);
    expect(s.profile).toEqual(emptyProfile());
    expect(s.tasks[0]!.title).toBe(ERASED_TEXT);
    expect(s.optedOut).toBe(true);
    expect(pendingTimers(s)).toEqual([]);
    expect(JSON.stringify(s)).not.toMatch(/Omar|Marina/);
  });

  it('migrates a version 1 state (before the lifecycle) to the current shape', () => {
    const v1 = {
      version: 1,
      leadId: 'l1',
      market: 'AE',
      channel: 'whatsapp',
      stage: 'engaged',
      profile: emptyProfile(),
      qualification: null,
      matches: [],
      transcript: [{ id: 'm1', from: 'lead', text: 'hi', at: iso(T0) }],
      seenProviderIds: ['m1'],
      turns: 1,
      lastIntents: [],
      askedFor: null,
      ownerId: null,
      optedOut: false,
      lastInboundAt: iso(T0),
      createdAt: iso(T0),
    };
    const s = migrateState(v1);
    expect(s.version).toBe(STATE_VERSION);
    expect(s).toMatchObject({ stage: 'engaged', turns: 1, seenProviderIds: ['m1'], settingsLoaded: false, tasks: [], handoff: { status: 'none' } });
    expect(migrateState(s)).toBe(s);
    expect(() => migrateState({ ...v1, version: 99 })).toThrow(/newer/);
  });
});
