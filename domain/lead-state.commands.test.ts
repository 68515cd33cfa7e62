import { describe, expect, it } from 'vitest';
import { refreshFollowUp } from './lead-follow-up.commands';
import { offerHandoff, requestHandoff } from './lead-handoff.commands';
import {
  COMMAND_LOG_LIMIT,
  ERASED_TEXT,
  acceptInbound,
  addTask,
  applyAgentResult,
  applyOptOut,
  claimLead,
  completeTask,
  eraseState,
  moveStage,
  overrideQualification,
  recordBrokerMessage,
  recordCommand,
  releaseLead,
} from './lead-state.commands';
import { T0, answered, iso, lead, msg, qual, result } from './lead-state.fixtures';
import type { LeadState } from './lead-state.model';
import { followUpActive, pendingTimers } from './lead-timers.rules';
import { emptyProfile } from './profile.defaults';

describe('commands are pure', () => {
  it('return a new state and leave their input as it was', () => {
    const s = answered();
    const before = structuredClone(s);
    const claimed = claimLead(s, { brokerId: 'a', at: iso(T0) }).state;
    const moved = moveStage(claimed, { move: { stage: 'lost', reason: 'bought elsewhere' }, at: iso(T0) }).state;
    acceptInbound(s, { messages: [msg('m2')] });
    applyOptOut(s);
    eraseState(s, { at: iso(T0) });
    expect(s).toEqual(before);
    expect(claimed).not.toBe(s);
    expect(moved.stage).toBe('lost');
    expect(claimed.stage).toBe('claimed');
  });
});

describe('conversation and follow-ups', () => {
  it('drops re-delivered messages and resets the cadence on every reply', () => {
    const s = answered();
    expect(s.followUp.dueAt).toBe(iso(T0 + 1000 + 10 * 60_000));
    const again = acceptInbound(s, { messages: [msg('m1')] });
    expect(again.fresh).toHaveLength(0);
    expect(again.state.followUp.anchorAt).toBe(iso(T0 + 1000));
    const more = acceptInbound(s, { messages: [msg('m2', 'more')] });
    expect(more.fresh).toHaveLength(1);
    expect(more.state.followUp).toMatchObject({ step: 0, anchorAt: null, dueAt: null });
    expect(refreshFollowUp(more.state).state.followUp.dueAt).toBeNull(); // the lead has the last word
    expect(more.state.transcript.map((t) => t.id)).toEqual(['m1', 'r1', 'm2']);
  });

  it('stops follow-ups for a claimed lead, a booked viewing, a closed stage and an opt-out', () => {
    expect(followUpActive(claimLead(answered(), { brokerId: 'broker-amina', at: iso(T0) }).state)).toBe(false);
    expect(followUpActive({ ...answered(), stage: 'viewing' })).toBe(false);
    expect(followUpActive(moveStage(answered(), { move: { stage: 'lost', reason: 'bought elsewhere' }, at: iso(T0) }).state)).toBe(false);
    const out = refreshFollowUp(applyOptOut(answered()).state).state;
    expect(out.followUp.dueAt).toBeNull();
    expect(pendingTimers(out)).toEqual([]);
  });
});

describe('agent results', () => {
  it('reports a fresh qualification once', () => {
    const s = acceptInbound(lead(), { messages: [msg('m1')] }).state;
    const first = applyAgentResult(s, { result: result({ qualification: qual(70) }), replyId: 'r1', at: iso(T0) });
    expect(first.becameQualified).toBe(true);
    expect(first.state.stage).toBe('qualified');
    expect(applyAgentResult(first.state, { result: result({ qualification: qual(72) }), replyId: 'r2', at: iso(T0) }).becameQualified).toBe(false);
  });

  it('keeps a manual qualification across agent turns, and a fresh one starts a handoff', () => {
    const o = overrideQualification(answered(), { override: { qualified: true, score: 80, reason: 'met in person', by: 'broker-amina' }, at: iso(T0) });
    expect(o.becameQualified).toBe(true);
    expect(o.state.handoff).toMatchObject({ status: 'routing', reason: 'qualified' });
    const s = applyAgentResult(o.state, { result: result({ qualification: qual(10) }), replyId: 'r2', at: iso(T0 + 5000) }).state;
    expect(s.qualification).toMatchObject({ qualified: true, score: 80 });
    expect(s.qualification?.reasons).toContain('Manual: met in person (broker-amina)');
  });
});

describe('broker commands', () => {
  it('claims (ending the chase), takes the broker message and releases back to the AI', () => {
    let s = requestHandoff(answered(), { reason: 'qualified', at: iso(T0) }).state;
    s = offerHandoff(s, { brokerId: 'a', nowMs: T0 }).state;
    s = claimLead(s, { brokerId: 'b', at: iso(T0 + 1) }).state;
    expect(s).toMatchObject({ ownerId: 'b', stage: 'claimed', handoff: { status: 'claimed', reason: 'qualified', slaDueAt: null } });
    expect(claimLead(s, { brokerId: 'b', at: iso(T0 + 2) }).state).toBe(s); // the owner claiming again changes nothing
    const by = { id: 'b', role: 'broker' as const, name: 'Bea' };
    const sent = recordBrokerMessage(s, { text: 'Hi, this is Bea', at: iso(T0 + 20), by });
    expect(sent.n).toBe(1);
    expect(sent.state.transcript[sent.state.transcript.length - 1]).toMatchObject({ from: 'broker', id: 'broker-1', by });
    s = releaseLead(sent.state, { at: iso(T0 + 30) }).state;
    expect(s).toMatchObject({ ownerId: null, stage: 'engaged', handoff: { status: 'none' } });
    expect(s.followUp.anchorAt).toBe(iso(T0 + 30));
  });

  it('a claim without a handoff is a takeover; closing the lead cancels a running handoff', () => {
    expect(claimLead(answered(), { brokerId: 'a', at: iso(T0) }).state.handoff).toMatchObject({ status: 'claimed', reason: 'takeover', seq: 1 });
    let t = requestHandoff(answered(), { reason: 'asked_for_human', at: iso(T0) }).state;
    t = offerHandoff(t, { brokerId: 'a', nowMs: T0 }).state;
    t = moveStage(t, { move: { stage: 'lost', reason: 'not reachable' }, at: iso(T0) }).state;
    expect(t.handoff.status).toBe('none');
    expect(t.stage).toBe('lost');
  });

  it('tasks default to the owner, store the due time in UTC and complete once', () => {
    const claimed = claimLead(answered(), { brokerId: 'a', at: iso(T0) }).state;
    const added = addTask(claimed, { task: { title: 'Call', dueAt: '2026-01-10T14:00:00+04:00' }, id: 't1', at: iso(T0) });
    expect(added.task).toMatchObject({ assignee: 'a', dueAt: '2026-01-10T10:00:00.000Z', completedAt: null });
    const done = completeTask(added.state, { taskId: 't1', at: iso(T0 + 5) });
    expect(done.task.completedAt).toBe(iso(T0 + 5));
    expect(pendingTimers(done.state).some((t) => t.kind === 'task')).toBe(false);
  });

  it('records who gave each command, keeping the latest only', () => {
    let s = answered();
    for (let i = 0; i < COMMAND_LOG_LIMIT + 5; i++) s = recordCommand(s, { command: 'moveStage', at: iso(T0 + i), by: i % 2 === 0 ? { id: 'm1', role: 'manager' } : null, summary: `move ${i}` }).state;
    expect(s.commands).toHaveLength(COMMAND_LOG_LIMIT);
    expect(s.commandSeq).toBe(COMMAND_LOG_LIMIT + 5);
    expect(s.commands[s.commands.length - 1]).toMatchObject({ seq: COMMAND_LOG_LIMIT + 5, by: { id: 'm1', role: 'manager' } });
  });
});

describe('erase', () => {
  it('erases the words and the profile but keeps the shape and counters', () => {
    let s: LeadState = { ...answered(), profile: { ...emptyProfile(), city: 'Dubai', areas: ['Dubai Marina'] } };
    s = addTask(s, { task: { title: 'Call Omar', dueAt: iso(T0 + 1000) }, id: 't1', at: iso(T0) }).state;
    s = recordCommand(s, { command: 'addTask', at: iso(T0), by: null, summary: 'Task added: Call Omar' }).state;
    s = eraseState(s, { at: iso(T0 + 5) }).state;
    expect(s.transcript.every((t) => t.text === ERASED_TEXT)).toBe(true);
    expect(s.transcript).toHaveLength(2);
    expect(s.profile).toEqual(emptyProfile());
    expect(s.tasks[0]!.title).toBe(ERASED_TEXT);
    expect(s.optedOut).toBe(true);
    expect(pendingTimers(s)).toEqual([]);
    expect(JSON.stringify(s)).not.toMatch(/Omar|Marina/);
  });
});
