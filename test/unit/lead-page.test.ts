import { describe, expect, it } from 'vitest';
import { parseWhatsApp } from '../../web/components/lead/whatsapp-format';
import { buildConversation } from '../../web/components/lead/conversation.model';
import { scoreView } from '../../web/components/lead/score.model';
import { contactLinks } from '../../web/components/lead/contact-actions';
import { errorText } from '../../web/lib/error-text';

describe('WhatsApp formatting', () => {
  it('reads bold, italic, strike and mono, nested one in another', () => {
    expect(parseWhatsApp('a *bold* and _it_ ~gone~ ```x = 1```')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'bold', children: [{ kind: 'text', text: 'bold' }] },
      { kind: 'text', text: ' and ' },
      { kind: 'italic', children: [{ kind: 'text', text: 'it' }] },
      { kind: 'text', text: ' ' },
      { kind: 'strike', children: [{ kind: 'text', text: 'gone' }] },
      { kind: 'text', text: ' ' },
      { kind: 'mono', text: 'x = 1' },
    ]);
    expect(parseWhatsApp('*_both_*')).toEqual([{ kind: 'bold', children: [{ kind: 'italic', children: [{ kind: 'text', text: 'both' }] }] }]);
  });

  it('leaves markers inside words, unclosed ones and spaced ones as typed', () => {
    for (const text of ['snake_case_name', '2*3*4', '*not closed', 'a * b * c', 'price_1 and_2']) expect(parseWhatsApp(text)).toEqual([{ kind: 'text', text }]);
  });

  it('keeps markup as text (the page renders tokens, never HTML)', () => {
    expect(parseWhatsApp('*<img src=x onerror=alert(1)>*')).toEqual([{ kind: 'bold', children: [{ kind: 'text', text: '<img src=x onerror=alert(1)>' }] }]);
  });
});

describe('the conversation with events between the messages', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();
  it('interleaves handoffs, escalations, alerts, stage moves and audit rows by time, and links files', () => {
    const items = buildConversation({
      transcript: [
        { id: 'w1', from: 'lead', text: 'Hi', at: at(0) },
        { id: 'r1', from: 'agent', text: 'Hello', at: at(2) },
        { id: 'b1', from: 'broker', text: 'Amina here', at: at(9), by: { id: 'u1', name: 'Amina Haddad' } },
      ],
      timeline: [
        { id: 't1', type: 'message', actor: 'lead', body: 'Hi', providerId: 'w1', meta: { media: { id: 'm1' } }, at: at(0) },
        { id: 't2', type: 'handoff', actor: 'system', body: 'Handed to broker-amina (qualified); claim by 2026-11-30T22:09:50.793Z', providerId: null, meta: null, at: at(3) },
        { id: 't3', type: 'handoff', actor: 'system', body: 'Escalated to broker-omar', providerId: null, meta: null, at: at(5) },
        { id: 't4', type: 'alert', actor: 'system', body: 'Unclaimed: sent to the pool', providerId: null, meta: null, at: at(6) },
        { id: 't5', type: 'status_change', actor: 'system', body: 'handoff → claimed', providerId: null, meta: null, at: at(8) },
      ],
      history: [
        { id: 'a1', action: 'lead.claim', actorName: 'Amina Haddad', details: { brokerId: 'broker-amina' }, at: at(7) },
        { id: 'a2', action: 'lead.message', actorName: 'Amina Haddad', details: {}, at: at(9) },
      ],
      brokerName: (id) => (id === 'broker-amina' ? 'Amina Haddad' : id),
    });
    expect(items.map((i) => (i.kind === 'message' ? `${i.from}:${i.text}` : `${i.type}:${i.text}`))).toEqual([
      'lead:Hi',
      'agent:Hello',
      'handoff:Handed to Amina Haddad (qualified); claim by 22:09 UTC',
      'escalation:Escalated to broker-omar',
      'alert:Unclaimed: sent to the pool',
      'action:Amina Haddad assigned the lead to Amina Haddad',
      'stage:Stage handoff → claimed',
      'broker:Amina here',
    ]);
    expect(items[0]).toMatchObject({ mediaId: 'm1', mediaType: null });
    expect(items.at(-1)).toMatchObject({ by: 'Amina Haddad' });
  });
});

describe('the score with a manual override', () => {
  const parts = [
    { key: 'budget', label: 'Budget', points: 40, max: 40, reason: 'stated' },
    { key: 'timeline', label: 'Timeline', points: 46, max: 60, reason: 'soon' },
  ];
  it('shows the override and labels the breakdown as the model’s, never mixing the two', () => {
    const v = scoreView(
      { score: 20, qualified: false, breakdown: parts, reasons: ['Qualified: 86/100', 'Manual: spoke on the phone (mgr)'] },
      null,
      { qualified: false, score: 20, reason: 'spoke on the phone', by: 'mgr', at: new Date().toISOString() },
    );
    expect(v).toMatchObject({ value: 20, qualified: false, override: { reason: 'spoke on the phone' }, model: { score: 86, reasons: ['Qualified: 86/100'] } });
  });
  it('without an override, the value is the model’s', () => {
    expect(scoreView(null, { score: 86, qualified: true, breakdown: parts, reasons: [] }, null)).toMatchObject({ value: 86, qualified: true, override: null, model: { score: 86 } });
  });
});

describe('contact links and plain-language errors', () => {
  it('builds tel:, wa.me and mailto: links, marking details typed in a chat', () => {
    expect(contactLinks({ phone: '+971 55 123 4567', email: null, waId: null, claimed: null })).toMatchObject({ tel: 'tel:+971551234567', whatsapp: 'https://wa.me/971551234567', mailto: null });
    expect(contactLinks({ phone: null, email: null, waId: null, claimed: { phone: null, email: 'a@b.co' } })).toMatchObject({ tel: null, mailto: 'mailto:a@b.co', unverified: { email: true } });
  });
  it('turns codes into sentences and keeps the API detail after them', () => {
    expect(errorText('not_claimed', 'The lead is not claimed by a broker')).toEqual({ sentence: 'Nobody owns this lead yet, so there is nothing to release.', detail: null });
    expect(errorText('invalid_transition', 'A lead in stage viewing cannot move to new')).toEqual({ sentence: 'The lead cannot move there from its current stage.', detail: 'A lead in stage viewing cannot move to new' });
    expect(errorText('brand_new_code', 'Plain message').sentence).toBe('Plain message');
  });
});
