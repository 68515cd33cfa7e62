import { describe, expect, it } from 'vitest';
import { alertMailKind, composeAlertMail } from '../../activities/alert-mail';

// Which handoff events become e-mail, and what the e-mail may say (no conversation).

describe('alert e-mail', () => {
  const leadId = '00000000-0000-4000-8000-000000000001';

  it('mails offers, missed claims and the unclaimed pool, and nothing else', () => {
    expect(alertMailKind({ leadId, type: 'handoff', brokerId: 'broker-james', meta: { reason: 'qualified', slaDueAt: '2026-12-01T10:00:00.000Z', attempt: 1 } })).toBe('offer');
    expect(alertMailKind({ leadId, type: 'handoff', brokerId: 'broker-james', meta: { escalation: 1, outcome: 'next' } })).toBe('escalation');
    expect(alertMailKind({ leadId, type: 'alert', brokerId: null, meta: { kind: 'handoff_unclaimed' } })).toBe('pool');
    expect(alertMailKind({ leadId, type: 'alert', brokerId: null, meta: { kind: 'activity_failed' } })).toBeNull();
    expect(alertMailKind({ leadId, type: 'reminder', brokerId: 'broker-james', meta: { kind: 'task' } })).toBeNull();
    expect(alertMailKind({ leadId, type: 'handoff', brokerId: null, meta: {} })).toBeNull();
  });

  it('writes the first name, the score and a link', () => {
    const offer = composeAlertMail('offer', { leadId, type: 'handoff', brokerId: 'broker-james', meta: { slaDueAt: '2026-12-01T10:00:00.000Z' } }, { firstName: 'Omar', score: 86 }, 'https://app.example.com/');
    expect(offer.subject).toBe('New lead for you: Omar (score 86)');
    expect(offer.text).toContain('https://app.example.com/leads/00000000-0000-4000-8000-000000000001');
    expect(offer.text).toContain('2026-12-01T10:00:00.000Z');
    const pool = composeAlertMail('pool', { leadId, type: 'alert' }, { firstName: null, score: null }, 'https://app.example.com');
    expect(pool.subject).toBe('Unclaimed lead in the pool: A lead (not scored yet)');
  });
});
