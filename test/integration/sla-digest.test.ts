import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlaDigestActivities, digestDay, type SlaDigestResult } from '../../activities/sla-digest.activities';
import { createMailer } from '../../lib/mailer';
import { freePort } from '../../scripts/services';
import { ensureSlaDigestSchedule, SLA_DIGEST_SCHEDULE_ID } from '../../temporal/sla-digest.schedule';
import type { slaDigestWorkflow } from '../../workflows/sla-digest.workflow';
import { eventually, startHarness, type Harness } from '../support/harness';
import { startMailServer, type CaughtMail, type MailServer } from '../support/mail-server';
import { preferences } from '../support/preferences';
import { apiSession } from '../support/sign-in';
import { startWorkerProcess } from '../support/worker-process';
import { fastSettings, startLead, waitForState } from './lead-support';

// The daily SLA-miss digest (#15 point 6, ADR 016) on a real Temporal server, Postgres and a
// local SMTP server: leads really escalated by their workflows, their misses moved into the
// past, the digest workflow run by the client and by the schedule a real worker process sets up.

const WEB_URL = 'http://web.example.test';
const TIME_ZONE = 'Asia/Dubai';

describe('daily SLA digest', () => {
  let h: Harness;
  let mail: MailServer;
  let worker: ChildProcess | undefined;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const digests = async (to: string) => (await mail.list(to)).filter((m) => m.subject.startsWith('SLA misses'));
  const runDigest = (at: string) =>
    h.temporal.workflow.execute<typeof slaDigestWorkflow>('slaDigestWorkflow', { taskQueue: h.env.TEMPORAL_TASK_QUEUE, workflowId: `sla-digest-test-${randomUUID()}`, args: [{ at }] });
  /** A lead escalated through every broker to the pool by its workflow, its misses then moved `hoursAgo` into the past. */
  const missedLead = async (hoursAgo: number) => {
    const lead = await startLead(h, { first: 'Please call me about the villa', settings: fastSettings({ slaMs: 1500 }) });
    const pooled = await waitForState(lead, (s) => s.handoff.status === 'pool' && s.alerts > 0, 'the lead in the shared pool', 60_000);
    await sql(`update timeline_entries set created_at = created_at - make_interval(hours => ?) where lead_id = ?`, [hoursAgo, lead.leadId]);
    return { leadId: lead.leadId, tried: pooled.handoff.tried };
  };
  const links = (m: CaughtMail, leadId: string) => m.text.includes(`${WEB_URL}/leads/${leadId}`);

  let yesterday: { leadId: string; tried: string[] };
  let older: { leadId: string; tried: string[] };
  let admin: Record<string, string>;
  const at = new Date().toISOString();

  beforeAll(async () => {
    mail = await startMailServer();
    h = await startHarness({ env: { SMTP_URL: mail.smtpUrl, WEB_URL, DEFAULT_TIME_ZONE: TIME_ZONE } });
    [yesterday, older] = await Promise.all([missedLead(20), missedLead(30)]);
    admin = await apiSession(h.baseUrl, 'admin@example.com');
  }, 120_000);
  afterAll(async () => {
    if (admin) await preferences(h.baseUrl, admin, { emailDigest: true });
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker!.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
    }
    await h?.temporal.schedule.getHandle(SLA_DIGEST_SCHEDULE_ID).delete().catch(() => undefined);
    await h?.close();
    await mail?.stop();
  });

  it('mails each manager who wants it one digest of the last 24 h, once per day, and no broker', async () => {
    // The admin turns the digest off; the manager leaves it on (the default).
    expect((await preferences(h.baseUrl, admin)).json.preferences?.emailDigest).toBe(true);
    const off = await preferences(h.baseUrl, admin, { emailDigest: false });
    expect(off.json.preferences).toMatchObject({ emailDigest: false, emailOffers: true });
    expect((await preferences(h.baseUrl, admin, { emailDigest: 'no' })).status).toBe(400);

    const first = await runDigest(at);
    const day = digestDay(new Date(at), TIME_ZONE);
    // Every claim the brokers missed and the pool alert, for this lead at least (other tests' leads may add more).
    // Other test files may add managers; here the manager is the one who wants it.
    expect(first).toMatchObject({ day, alreadySent: 0 });
    expect(first.sent).toBe(first.recipients);
    expect(first.sent).toBeGreaterThanOrEqual(1);
    expect(first.misses).toBeGreaterThanOrEqual(yesterday.tried.length + 1);

    const [digest, ...more] = await digests('manager@example.com');
    expect(more).toHaveLength(0);
    expect(digest!.subject).toMatch(new RegExp(`^SLA misses for ${day}: \\d+ missed claims?, \\d+ leads? to the pool$`));
    expect(links(digest!, yesterday.leadId)).toBe(true);
    // 30 h ago is outside the digest's 24 h.
    expect(links(digest!, older.leadId)).toBe(false);
    // Grouped by the broker who missed the claim, then the pool; a first name, score and link, never the conversation.
    for (const brokerId of yesterday.tried) expect(digest!.text).toMatch(new RegExp(`\\(${brokerId}\\): \\d+ missed claims?`));
    expect(digest!.text).toMatch(/Unclaimed pool: \d+ leads? nobody claimed/);
    expect(digest!.text).toMatch(new RegExp(`Lifecycle \\((score \\d+|not scored yet)\\): ${WEB_URL}/leads/${yesterday.leadId}`));
    expect(digest!.text).not.toContain('villa');

    expect(await digests('admin@example.com')).toHaveLength(0);
    expect(await digests('james@example.com')).toHaveLength(0);
    expect(await digests('priya@example.com')).toHaveLength(0);

    // The same day again (a retry, a catch-up, a second trigger): nothing new goes out.
    const again = await runDigest(at);
    expect(again).toMatchObject({ day, sent: 0, alreadySent: first.sent });
    expect(await digests('manager@example.com')).toHaveLength(1);
    const rows = await sql<{ n: string }>(`select count(*)::text as n from digest_sends d join users u on u.id = d.user_id where u.email = 'manager@example.com' and d.day = ? and d.sent_at is not null`, [day]);
    expect(rows[0]!.n).toBe('1');
  });

  it('sends nothing for a day without misses', async () => {
    const quiet = await runDigest(new Date(Date.now() - 10 * 86_400_000).toISOString());
    expect(quiet).toMatchObject({ misses: 0, recipients: 0, sent: 0 });
    expect(await digests('manager@example.com')).toHaveLength(1);
  });

  it('gives a refused send its day back, so the next attempt mails it', async () => {
    // The 24 h before this time hold the lead missed 30 h ago, on a day no other run here used.
    const before = new Date(Date.now() - 29 * 3_600_000).toISOString();
    const day = digestDay(new Date(before), TIME_ZONE);
    const attempt = (smtpUrl: string) => createSlaDigestActivities({ orm: h.orm, logger: h.logger, env: h.env, mailer: createMailer(smtpUrl, h.env.MAIL_FROM) }).sendSlaDigest({ at: before });
    // Nothing listens there: the real SMTP client is refused.
    await expect(attempt(`smtp://127.0.0.1:${await freePort()}`)).rejects.toMatchObject({ type: 'DigestMailFailed' });
    expect(await sql(`select 1 from digest_sends where day = ?`, [day])).toHaveLength(0);
    const retried = await attempt(mail.smtpUrl);
    expect(retried).toMatchObject({ day, alreadySent: 0 });
    expect(retried.sent).toBeGreaterThanOrEqual(1);
    const forDay = (await digests('manager@example.com')).filter((m) => m.subject.startsWith(`SLA misses for ${day}:`));
    expect(forDay).toHaveLength(1);
    expect(links(forDay[0]!, older.leadId)).toBe(true);
  });

  it('ends the run Failed (not in a loop) when the activity cannot do its job', async () => {
    const failed = await runDigest('not a time').catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    expect(((failed as WorkflowFailedError).cause as { type?: string }).type).toBe('SlaDigestFailed');
  });

  it('has its schedule set up by the worker at start, at the configured hour, and runs from it', async () => {
    // The schedule is one per namespace: workers of earlier test files in this run (the production
    // build's, at the default hour) may have left it. Gone first, so what is read is this worker's.
    const handle = h.temporal.schedule.getHandle(SLA_DIGEST_SCHEDULE_ID);
    await handle.delete().catch(() => undefined);
    worker = startWorkerProcess(h, { SLA_DIGEST_HOUR: '6', DEFAULT_TIME_ZONE: TIME_ZONE, SMTP_URL: mail.smtpUrl, WEB_URL });
    const described = await eventually(() => handle.describe().catch(() => undefined), 'the schedule the worker creates', 60_000);
    expect(described.spec.timezone).toBe(TIME_ZONE);
    expect(described.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 6, end: 6, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
    expect(described.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 6 * 3_600_000 });
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'slaDigestWorkflow', taskQueue: h.env.TEMPORAL_TASK_QUEUE });

    // Set up again with another hour (a redeploy): the same schedule, updated in place.
    expect(await ensureSlaDigestSchedule(h.temporal, { SLA_DIGEST_HOUR: 8, DEFAULT_TIME_ZONE: TIME_ZONE, TEMPORAL_TASK_QUEUE: h.env.TEMPORAL_TASK_QUEUE })).toBe('updated');
    expect((await handle.describe()).spec.calendars?.[0]?.hour).toEqual([{ start: 8, end: 8, step: 1 }]);

    // A run the schedule starts covers the 24 h before its scheduled time and keeps to one mail per day.
    await handle.trigger();
    const started = await eventually(async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId, 'the triggered run');
    const result = (await h.temporal.workflow.getHandle(started).result()) as SlaDigestResult;
    expect(result.misses).toBeGreaterThanOrEqual(1);
    expect((await digests('manager@example.com')).filter((m) => m.subject.startsWith(`SLA misses for ${result.day}:`))).toHaveLength(1);
  });
});
