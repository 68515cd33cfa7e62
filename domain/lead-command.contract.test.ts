import { describe, expect, it } from 'vitest';
import { REJECTION_STATUS, commandInputs, isRejectionCode, parseCommand } from './lead-command.contract';
import { LEAD_UPDATES } from './lead-message-names.contract';

const { AddTaskInput, ClaimInput, ReleaseInput } = commandInputs();

describe('the lead command contract', () => {
  it('reports every invalid field as invalid_input', () => {
    const r = parseCommand(AddTaskInput, { title: '', dueAt: 'tomorrow', extra: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.rejection.code).toBe('invalid_input');
      expect(r.rejection.message).toMatch(/title/);
      expect(r.rejection.message).toMatch(/dueAt/);
    }
    expect(parseCommand(AddTaskInput, { title: 'Call', dueAt: '2026-01-10T10:00:00+04:00', assignee: 'broker-amina' }).ok).toBe(true);
  });

  it('maps every rejection to a 4xx status', () => {
    for (const status of Object.values(REJECTION_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
    for (const status of Object.values(REJECTION_STATUS)) expect(status).toBeLessThan(500);
    expect(isRejectionCode('already_claimed')).toBe(true);
    expect(isRejectionCode('toString')).toBe(false);
  });

  it('lets every update name its actor, and only a well-formed one', () => {
    const actor = { id: 'u-1', role: 'broker', name: 'Bea' };
    expect(ClaimInput.parse({ brokerId: 'b', actor })).toEqual({ brokerId: 'b', actor });
    expect(ReleaseInput.safeParse({}).success).toBe(true);
    expect(ReleaseInput.safeParse({ actor: { ...actor, role: 'root' } }).success).toBe(false);
    expect(Object.keys(LEAD_UPDATES)).toHaveLength(7);
  });
});
