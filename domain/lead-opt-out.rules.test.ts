import { describe, expect, it } from 'vitest';
import { asksToStart, asksToStop, enforceOptOut, optOutConfirmation } from './lead-opt-out.rules';
import { result } from './lead-state.fixtures';

describe('opt-out in the lead workflow', () => {
  it('reads a stop anywhere in a burst, with the one detector', () => {
    expect(asksToStop([{ text: 'Hi' }, { text: 'stop please' }])).toBe(true);
    expect(asksToStop([{ text: 'बंद करो' }])).toBe(true);
    expect(asksToStop([{ text: 'when does the bus stop' }])).toBe(false);
  });

  it('turns a turn that missed the stop into an opt-out with a confirmation in the lead\'s script', () => {
    const missed = result({ reply: 'Which area do you like?', intents: [{ kind: 'handoff', reason: 'qualified' }], askedFor: 'area' });
    const fixed = enforceOptOut(missed, [{ text: 'बंद करो' }]);
    expect(fixed.intents).toEqual([{ kind: 'opt_out' }]);
    expect(fixed.reply).toBe(optOutConfirmation('बंद करो'));
    expect(fixed.askedFor).toBeNull();
    expect(optOutConfirmation('الغاء')).toMatch(/[\u0600-\u06FF]/u);
    expect(enforceOptOut(result({ reply: '' }), [{ text: 'STOP' }]).reply).toBe('');
  });

  it('leaves a turn alone when nobody asked to stop or the agent already opted out', () => {
    const plain = result();
    expect(enforceOptOut(plain, [{ text: 'Hi, 2 bed in Marina' }])).toBe(plain);
    const agentSaw = result({ reply: 'Done.', intents: [{ kind: 'opt_out' }] });
    expect(enforceOptOut(agentSaw, [{ text: 'STOP' }])).toBe(agentSaw);
  });
});

describe('asksToStart', () => {
  it('reads START as the newest message only', () => {
    expect(asksToStart([{ text: 'STOP' }, { text: 'START' }])).toBe(true);
    expect(asksToStart([{ text: 'START' }, { text: 'stop' }])).toBe(false);
    expect(asksToStart([{ text: 'start looking again next year' }])).toBe(false);
    expect(asksToStart([])).toBe(false);
  });
});

