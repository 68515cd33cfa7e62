import { describe, expect, it } from 'vitest';
import { MANUAL_TRANSITIONS, STAGES, checkStageMove, furthestStage } from './lead-stage.rules';

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

describe('furthestStage', () => {
  it('keeps the furthest stage on the way forward, whatever comes after', () => {
    expect(furthestStage(null, 'new')).toBe('new');
    expect(furthestStage(null, 'engaged')).toBe('engaged');
    expect(furthestStage('claimed', 'viewing')).toBe('viewing');
    // A lead moved back, lost or nurtured still got as far as it did.
    expect(furthestStage('viewing', 'claimed')).toBe('viewing');
    expect(furthestStage('handoff', 'lost')).toBe('handoff');
    expect(furthestStage('qualified', 'nurture')).toBe('qualified');
    expect(furthestStage(null, 'lost')).toBe('new');
  });
});
