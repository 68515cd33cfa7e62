import { describe, expect, it } from 'vitest';
import { applyOptOut, claimLead, completeTask, addTask } from './lead-state.commands';
import { T0, answered, iso } from './lead-state.fixtures';
import { validateAddTask, validateBrokerMessage, validateClaim, validateCompleteTask, validateMoveStage, validateRelease } from './lead-state.validators';

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
    const out = applyOptOut(claimLead(s, { brokerId: 'a', at: iso(T0) }).state).state;
    expect(validateBrokerMessage(out, { text: 'hi' })).toMatchObject({ code: 'opted_out' });
  });

  it('claims: another broker is refused, the owner again is fine, a closed lead is refused', () => {
    const s = claimLead(answered(), { brokerId: 'b', at: iso(T0) }).state;
    expect(validateClaim(s, { brokerId: 'c' })).toMatchObject({ code: 'already_claimed' });
    expect(validateClaim(s, { brokerId: 'b' })).toBeNull();
    expect(validateClaim({ ...answered(), stage: 'lost' }, { brokerId: 'a' })).toMatchObject({ code: 'lead_closed' });
    expect(validateRelease(s)).toBeNull();
    expect(validateRelease(answered())).toMatchObject({ code: 'not_claimed' });
  });

  it('takes an actor on every command and refuses a malformed one', () => {
    const s = claimLead(answered(), { brokerId: 'b', at: iso(T0) }).state;
    const actor = { id: 'u-1', role: 'manager', name: 'Mona' };
    expect(validateRelease(s, { actor })).toBeNull();
    expect(validateBrokerMessage(s, { text: 'hi', actor })).toBeNull();
    expect(validateMoveStage(s, { stage: 'viewing', reason: 'booked', actor })).toBeNull();
    expect(validateRelease(s, { actor: { id: 'u-1', role: 'owner' } })).toMatchObject({ code: 'invalid_input' });
    expect(validateClaim(s, { brokerId: 'b', actor: { id: '', role: 'broker' } })).toMatchObject({ code: 'invalid_input' });
  });

  it('a completed task completes once', () => {
    const added = addTask(answered(), { task: { title: 'Call', dueAt: iso(T0 + 1000) }, id: 't1', at: iso(T0) }).state;
    expect(validateCompleteTask(added, { taskId: 't1' })).toBeNull();
    expect(validateCompleteTask(completeTask(added, { taskId: 't1', at: iso(T0) }).state, { taskId: 't1' })).toMatchObject({ code: 'task_completed' });
  });
});
