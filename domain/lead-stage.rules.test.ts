import { describe, expect, it } from 'vitest';
import { AddTaskInput, MANUAL_TRANSITIONS, REJECTION_STATUS, STAGES, checkStageMove, isStopMessage, parseCommand } from './lead-stage.rules';

describe('stage moves', () => {
  it('allows the pipeline moves and refuses the rest with the allowed list', () => {
    expect(checkStageMove('claimed', 'viewing')).toBeNull();
    expect(checkStageMove('viewing', 'won')).toBeNull();
    expect(checkStageMove('lost', 'nurture')).toBeNull();
    expect(checkStageMove('engaged', 'won')).toEqual({
      code: 'invalid_transition',
      message: 'A lead in stage engaged cannot move to won',
      details: { from: 'engaged', to: 'won', allowed: ['qualified', 'nurture', 'lost'] },
    });
    expect(checkStageMove('won', 'lost')?.code).toBe('invalid_transition');
    expect(checkStageMove('qualified', 'qualified')?.message).toBe('The lead is already in stage qualified');
  });

  it('never lets a broker move a lead into handoff or claimed, and keeps won final', () => {
    for (const from of STAGES) {
      expect(MANUAL_TRANSITIONS[from]).not.toContain('handoff');
      expect(MANUAL_TRANSITIONS[from].filter((to) => to === 'claimed' && from !== 'viewing')).toEqual([]);
    }
    expect(MANUAL_TRANSITIONS.won).toEqual([]);
    expect(checkStageMove('engaged', 'claimed')?.message).toMatch(/claim/);
  });
});

describe('commands', () => {
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
  });
});

describe('isStopMessage', () => {
  it.each(['STOP', 'stop.', ' Unsubscribe ', 'opt out', 'توقف', 'إلغاء الاشتراك'])('reads %j as an opt-out', (text) => {
    expect(isStopMessage(text)).toBe(true);
  });
  it.each(['stop by the office tomorrow?', 'when does it end?', 'I want to cancel my viewing and rebook'])('does not read %j as one', (text) => {
    expect(isStopMessage(text)).toBe(false);
  });
});
