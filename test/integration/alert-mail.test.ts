import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, eventually, type Harness } from '../support/harness';
import { startMailServer, type CaughtMail, type MailServer } from '../support/mail-server';
import { apiSession } from '../support/sign-in';
import { preferences as putPreferences } from '../support/preferences';
import { fastSettings, startLead, waitForState } from './lead-support';

// Alert e-mails (#15 point 6) on a real Temporal server, Postgres and a local SMTP server
// (maildev): an offer mails the offered broker once, missed claims and the unclaimed pool mail
// the managers, and a user who turned a kind off gets none of it.

const WEB_URL = 'http://web.example.test';

describe('alert e-mails', () => {
  let h: Harness;
  let mail: MailServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const about = (leadId: string) => (m: CaughtMail) => m.text.includes(`${WEB_URL}/leads/${leadId}`);
  const userOf = async (brokerId: string) => (await sql<{ email: string; email_offers: boolean }>(`select email, email_offers from users where broker_id = ? and active`, [brokerId]))[0];
  const preferences = (headers: Record<string, string>, body?: unknown) => putPreferences(h.baseUrl, headers, body);
  /** A lead handed to every broker in turn and then to the pool, with the managers' pool mail caught. */
  const escalateToPool = async () => {
    const lead = await startLead(h, { first: 'I want to speak to a real person', settings: fastSettings({ slaMs: 1500 }) });
    const pooled = await waitForState(lead, (s) => s.handoff.status === 'pool' && s.alerts > 0, 'the lead in the shared pool', 60_000);
    const poolMail = await eventually(async () => (await mail.list('manager@example.com')).find((m) => about(lead.leadId)(m) && m.subject.startsWith('Unclaimed lead')), 'the pool e-mail to the manager');
    return { lead, tried: pooled.handoff.tried, poolMail };
  };

  beforeAll(async () => {
    mail = await startMailServer();
    h = await startHarness({ env: { SMTP_URL: mail.smtpUrl, WEB_URL } });
  });
  afterAll(async () => {
    await h?.close();
    await mail?.stop();
  });

  it('mails each offered broker exactly once, and the managers each missed claim and the pool', async () => {
    const { lead, tried, poolMail } = await escalateToPool();
    expect(poolMail.text).not.toContain('I want to speak');
    let mailed = 0;
    for (const brokerId of tried) {
      const user = await userOf(brokerId);
      if (!user?.email_offers) continue;
      const offers = (await mail.list(user.email)).filter(about(lead.leadId));
      expect(offers, brokerId).toHaveLength(1);
      expect(offers[0]!.subject).toMatch(/^New lead for you: Lifecycle \((score \d+|not scored yet)\)$/);
      // A first name, a score and a link: never the conversation.
      expect(offers[0]!.text).not.toContain('real person');
      mailed++;
    }
    expect(mailed).toBeGreaterThan(0);
    const managerMails = (await mail.list('manager@example.com')).filter(about(lead.leadId));
    expect(managerMails.filter((m) => m.subject.startsWith('Missed claim'))).toHaveLength(3);
    expect(managerMails.filter((m) => m.subject.startsWith('Unclaimed lead'))).toHaveLength(1);
    // Offers go to the broker alone.
    expect(managerMails.filter((m) => m.subject.startsWith('New lead for you'))).toHaveLength(0);
  });

  it('sends no offer e-mail to a broker who turned offers off', async () => {
    const james = await apiSession(h.baseUrl, 'james@example.com');
    expect((await preferences(james)).json.preferences).toEqual({ emailOffers: true, emailEscalations: true, emailDigest: true });
    const bad = await preferences(james, { emailOffers: 'no' });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.code).toBe('bad_request');
    const off = await preferences(james, { emailOffers: false });
    expect(off.json.preferences).toEqual({ emailOffers: false, emailEscalations: true, emailDigest: true });
    try {
      const { lead, tried } = await escalateToPool();
      expect(tried).toContain('broker-james');
      expect((await mail.list('james@example.com')).filter(about(lead.leadId))).toHaveLength(0);
      // Others who left it on still hear about it.
      const priya = await userOf('broker-priya');
      if (tried.includes('broker-priya') && priya?.email_offers) expect((await mail.list(priya.email)).filter(about(lead.leadId))).toHaveLength(1);
    } finally {
      await preferences(james, { emailOffers: true });
    }
  });

  it('keeps preferences to signed-in users', async () => {
    const res = await preferences({ authorization: `Bearer ${h.env.API_TOKEN}` });
    expect(res.status).toBe(403);
    expect((await preferences({})).status).toBe(401);
  });
});
