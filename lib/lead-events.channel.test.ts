import { describe, expect, it } from 'vitest';
import { BROKER_EVENTS_CHANNEL, decodeLeadEvent, encodeLeadEvent, leadEventsChannel, type LeadEvent } from './lead-events.channel';

const reply: LeadEvent = { type: 'reply', actor: 'agent', idempotencyKey: 'lead-1:turn:1', inReplyTo: ['wamid.1'], text: 'Hi!', status: 'sent' };

describe('lead events channel', () => {
  it('names one channel per lead and one for the brokers', () => {
    expect(leadEventsChannel('9b2c')).toBe('lead:9b2c:events');
    expect(BROKER_EVENTS_CHANNEL).toBe('brokers:events');
  });

  it('round-trips every kind of event', () => {
    const events: LeadEvent[] = [
      reply,
      { type: 'chunk', inReplyTo: ['s1:c1'], text: 'Hi ' },
      { type: 'state', stage: 'qualified', ownerId: null, nextFollowUpAt: '2026-11-26T10:00:00.000Z', slaDueAt: null },
      { type: 'alert', leadId: 'l1', body: 'No broker claimed the lead', brokerId: null, idempotencyKey: 'k1', meta: { escalations: 3 } },
    ];
    for (const e of events) expect(decodeLeadEvent(encodeLeadEvent(e))).toEqual(e);
  });

  it('refuses to publish an event that breaks the contract', () => {
    expect(() => encodeLeadEvent({ ...reply, inReplyTo: 'wamid.1' } as unknown as LeadEvent)).toThrow();
    expect(() => encodeLeadEvent({ type: 'escalated' } as unknown as LeadEvent)).toThrow();
  });

  it('skips what a subscriber cannot read and ignores keys it does not know', () => {
    expect(decodeLeadEvent('not json')).toBeNull();
    expect(decodeLeadEvent(JSON.stringify({ type: 'reply', text: 'no ids' }))).toBeNull();
    expect(decodeLeadEvent(JSON.stringify({ type: 'typing' }))).toBeNull();
    expect(decodeLeadEvent(JSON.stringify({ ...reply, newerField: 1 }))).toEqual(reply);
  });
});
