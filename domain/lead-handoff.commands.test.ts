import { describe, expect, it } from 'vitest';
import { escalateHandoff, handoffReasonFor, noteInboundWhileOwned, offerHandoff, remindBrokerReply, requestHandoff } from './lead-handoff.commands';
import { claimLead } from './lead-state.commands';
import { T0, answered, iso, settings } from './lead-state.fixtures';
import { dueTimers, nextTimerAt, pendingTimers } from './lead-timers.rules';

describe('handoff', () => {
  it('picks the most urgent reason an agent turn gives', () => {
    expect(handoffReasonFor([{ kind: 'handoff', reason: 'qualified' }], false)).toBeNull();
    expect(handoffReasonFor([{ kind: 'handoff', reason: 'qualified' }, { kind: 'handoff', reason: 'asked_for_human' }], true)).toBe('asked_for_human');
    expect(handoffReasonFor([], true)).toBe('qualified');
  });

  it('offers, escalates after each missed SLA and pools after the last', () => {
    const started = requestHandoff(answered(), { reason: 'asked_for_human', at: iso(T0) });
    expect(started.started).toBe(true);
    expect(requestHandoff(started.state, { reason: 'qualified', at: iso(T0) }).started).toBe(false); // one at a time
    let s = started.state;
    expect(s.stage).toBe('handoff');
    for (const [i, broker] of ['a', 'b', 'c'].entries()) {
      s = offerHandoff(s, { brokerId: broker, nowMs: T0 + i * 1000 }).state;
      expect(s.handoff.slaDueAt).toBe(iso(T0 + i * 1000 + settings.slaMs));
      expect(nextTimerAt(s)).toBe(T0 + i * 1000 + settings.slaMs);
      const escalated = escalateHandoff(s);
      expect(escalated.outcome).toBe(i < 2 ? 'rerouted' : 'pool');
      s = escalated.state;
    }
    expect(s.handoff).toMatchObject({ status: 'pool', tried: ['a', 'b', 'c'], escalations: 3, offeredTo: null, slaDueAt: null });
    expect(pendingTimers(s).some((t) => t.kind === 'handoff_sla')).toBe(false);
  });

  it("reminds the owner once per unanswered message", () => {
    const owned = claimLead(answered(), { brokerId: 'b', at: iso(T0) }).state;
    const waiting = noteInboundWhileOwned(owned, { nowMs: T0 + 10 }).state;
    expect(noteInboundWhileOwned(waiting, { nowMs: T0 + 20 }).state).toBe(waiting); // the first message keeps its clock
    expect(dueTimers(waiting, T0 + 10 + settings.slaMs).map((t) => t.kind)).toContain('broker_reply');
    const reminded = remindBrokerReply(waiting);
    expect(reminded).toMatchObject({ since: iso(T0 + 10), reminder: 1 });
    expect(pendingTimers(reminded.state).some((t) => t.kind === 'broker_reply')).toBe(false);
  });
});
