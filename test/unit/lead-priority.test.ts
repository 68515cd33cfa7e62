import { describe, expect, it, vi } from 'vitest';
import { NEW_LEAD_PRIORITY_KEY, settlesPriorityAfterTurn } from '../../domain/lead-priority.rules';
import { settleAfterFirstTurn } from '../../temporal/lead-priority';

// ADR 020: which turn hands a lead back to the default priority, and that a failed hand-back
// is a warning, never the turn's failure.

describe('lead priority', () => {
  it('settles only the first turn of a workflow that started at the new-lead key', () => {
    expect(settlesPriorityAfterTurn(0, NEW_LEAD_PRIORITY_KEY)).toBe(true);
    expect(settlesPriorityAfterTurn(1, NEW_LEAD_PRIORITY_KEY)).toBe(false);
    expect(settlesPriorityAfterTurn(0, undefined)).toBe(false);
    expect(settlesPriorityAfterTurn(0, 3)).toBe(false);
  });

  it('calls the settle only when the workflow asked for it', () => {
    const settle = vi.fn(async () => undefined);
    const logger = { warn: vi.fn() };
    settleAfterFirstTurn(false, { workflowId: 'lead-a' }, settle, logger);
    settleAfterFirstTurn(true, undefined, settle, logger);
    expect(settle).not.toHaveBeenCalled();
    settleAfterFirstTurn(true, { workflowId: 'lead-a', runId: 'r1' }, settle, logger);
    expect(settle).toHaveBeenCalledWith({ workflowId: 'lead-a', runId: 'r1' });
  });

  it('logs a failed settle as a warning with the workflow id and no throw', async () => {
    const logger = { warn: vi.fn() };
    expect(() => settleAfterFirstTurn(true, { workflowId: 'lead-b' }, () => Promise.reject(new Error('frontend unavailable')), logger)).not.toThrow();
    await vi.waitFor(() => expect(logger.warn).toHaveBeenCalledWith({ workflowId: 'lead-b', err: 'frontend unavailable' }, 'lead priority not settled after its first turn'));
  });
});
