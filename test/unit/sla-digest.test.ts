import { describe, expect, it } from 'vitest';
import { composeSlaDigest, digestDay } from '../../activities/sla-digest.activities';
import type { SlaMiss } from '../../db/sla-digest.repository';

const miss = (over: Partial<SlaMiss>): SlaMiss => ({ leadId: 'lead-1', kind: 'missed_claim', brokerId: 'broker-james', brokerName: 'James', at: new Date('2026-12-01T05:30:00Z'), firstName: 'Omar', score: 72, ...over });

describe('SLA digest mail', () => {
  it('keys a digest by the calendar day in the brokerage time zone', () => {
    // 21:30 UTC is already the next day in Dubai (UTC+4).
    expect(digestDay(new Date('2026-11-30T21:30:00Z'), 'Asia/Dubai')).toBe('2026-12-01');
    expect(digestDay(new Date('2026-11-30T21:30:00Z'), 'UTC')).toBe('2026-11-30');
  });

  it('groups missed claims by broker, most first, then the pool, with first name, score and link only', () => {
    const mail = composeSlaDigest(
      [
        miss({ leadId: 'a' }),
        miss({ leadId: 'b', brokerId: 'broker-priya', brokerName: 'Priya' }),
        miss({ leadId: 'c', brokerId: 'broker-priya', brokerName: 'Priya', firstName: null, score: null }),
        miss({ leadId: 'c', kind: 'pool', brokerId: null, brokerName: null, firstName: null, score: null }),
      ],
      { day: '2026-12-01', webUrl: 'https://app.example.test/', timeZone: 'Asia/Dubai' },
    );
    expect(mail.subject).toBe('SLA misses for 2026-12-01: 3 missed claims, 1 lead to the pool');
    const priya = mail.text.indexOf('Priya (broker-priya): 2 missed claims');
    const james = mail.text.indexOf('James (broker-james): 1 missed claim\n');
    const pool = mail.text.indexOf('Unclaimed pool: 1 lead nobody claimed');
    expect(priya).toBeGreaterThan(-1);
    expect(james).toBeGreaterThan(priya);
    expect(pool).toBeGreaterThan(james);
    expect(mail.text).toContain('09:30  Omar (score 72): https://app.example.test/leads/a');
    expect(mail.text).toContain('A lead (not scored yet): https://app.example.test/leads/c');
  });
});
