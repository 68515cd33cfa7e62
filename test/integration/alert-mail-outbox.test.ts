import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createAlertMailSender } from '../../activities/alert-mail';
import { createAlertMailOutbox, type AlertMailOutboxOptions } from '../../activities/alert-mail.outbox';
import { AlertMailRepository, type AlertMailKind } from '../../db/alert-mail.repository';
import { LeadRepository } from '../../db/lead.repository';
import { createOrm, type Orm } from '../../db/orm';
import { seedDemoUsers } from '../../db/seeders/demo-users.seeder';
import { createMailer } from '../../lib/mailer';
import { createRedis } from '../../lib/redis';
import { dropDatabase, ensurePostgres, freePort } from '../../scripts/services';
import { seedInboxLead } from '../support/inbox-leads';
import { startMailServer, type MailServer } from '../support/mail-server';

// The alert e-mails' outbox (#13) on a real Postgres, Redis and SMTP server (maildev): a handoff's
// timeline entry queues its mail in the same statement, and the worker sends it afterwards, once,
// however many workers drain together; a mail that reaches no one is tried again later and given
// up with an alert on the lead. Its own database: the outbox takes every due mail it finds.

const WEB_URL = 'http://web.example.test';

describe('the alert e-mail outbox', () => {
  let url: string;
  let orm: Orm;
  let redis: Redis;
  let mail: MailServer;
  let deadRelay: string;
  const logger = pino({ level: 'silent' });
  const sql = <T>(query: string, params: unknown[] = []) => orm.em.fork().getConnection().execute<T[]>(query, params);
  const outbox = (smtpUrl: string, options: Partial<AlertMailOutboxOptions> = {}) =>
    createAlertMailOutbox({ orm, redis, logger, send: createAlertMailSender({ orm, logger, webUrl: WEB_URL, mailer: createMailer(smtpUrl, 'leadline@example.com') }), ...options });
  const newLead = () => seedInboxLead(orm, randomBytes(3).toString('hex'), 'Outbox', { createdMin: 1, score: 70 });
  /** What the handoff step writes for an offer to `brokerId` (or a pool alert), with its mail. */
  const record = (leadId: string, kind: AlertMailKind, brokerId: string | null, key = `outbox-test:${randomUUID()}`) =>
    new LeadRepository(orm.em.fork()).recordLeadEvent({
      leadId,
      type: kind === 'pool' ? 'alert' : 'handoff',
      actor: 'system',
      body: 'Handed to a broker',
      idempotencyKey: key,
      meta: kind === 'offer' ? { reason: 'qualified', slaDueAt: '2026-12-01T10:00:00.000Z', attempt: 1 } : { kind: 'handoff_unclaimed' },
      mail: { kind, brokerId },
    });
  const mailsOf = (leadId: string) => new AlertMailRepository(orm.em.fork()).byLead(leadId);
  const about = (leadId: string) => (m: { text: string }) => m.text.includes(`${WEB_URL}/leads/${leadId}`);

  beforeAll(async () => {
    const u = new URL(inject('databaseUrl'));
    u.pathname = `/leadline_outbox_${randomBytes(4).toString('hex')}`;
    url = u.toString();
    await ensurePostgres(url, () => {});
    orm = await createOrm(url);
    await orm.migrator.up();
    await seedDemoUsers(orm.em.fork(), 'test', { only: ['manager@example.com', 'james@example.com'] });
    redis = createRedis(inject('redisUrl'), `${inject('redisKeyPrefix')}outbox-${randomBytes(3).toString('hex')}:`);
    mail = await startMailServer();
    // a port nobody listens on: the relay is down
    deadRelay = `smtp://127.0.0.1:${await freePort()}`;
  });
  afterAll(async () => {
    await mail?.stop();
    redis?.disconnect();
    await orm?.close();
    if (url) await dropDatabase(url);
  });

  it('queues a mail with its timeline entry once, and sends it once while two workers drain together', async () => {
    const leadId = await newLead();
    const key = `outbox-test:${randomUUID()}`;
    expect(await record(leadId, 'offer', 'broker-james', key)).toBe(true);
    // the activity retried: the entry is there, so nothing more is queued
    expect(await record(leadId, 'offer', 'broker-james', key)).toBe(false);
    expect(await mailsOf(leadId)).toEqual([{ kind: 'offer', status: 'queued', attempts: 0, last_error: null }]);

    const [a, b] = [outbox(mail.smtpUrl), outbox(mail.smtpUrl)];
    const taken = await Promise.all([a.drain(), b.drain()]);
    expect(taken.sort()).toEqual([0, 1]);
    expect(await mailsOf(leadId)).toEqual([{ kind: 'offer', status: 'sent', attempts: 1, last_error: null }]);
    const sent = (await mail.list('james@example.com')).filter(about(leadId));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toMatch(/^New lead for you: Outbox \(score 70\)$/);
    // settled: later drains find nothing
    expect(await a.drain()).toBe(0);
  });

  it('queues nothing for an entry that calls for no mail, and settles one nobody wants as skipped', async () => {
    const leadId = await newLead();
    expect(await new LeadRepository(orm.em.fork()).recordLeadEvent({ leadId, type: 'note', actor: 'broker', body: 'called', idempotencyKey: `outbox-test:${randomUUID()}` })).toBe(true);
    expect(await mailsOf(leadId)).toEqual([]);
    // a broker with no user behind them
    await record(leadId, 'offer', 'broker-nobody');
    expect(await outbox(mail.smtpUrl).drain()).toBe(1);
    expect(await mailsOf(leadId)).toEqual([{ kind: 'offer', status: 'skipped', attempts: 1, last_error: null }]);
  });

  it('tries a mail the relay refused again later, not at once, and sends it once the relay is back', async () => {
    const leadId = await newLead();
    await record(leadId, 'pool', null);
    expect(await outbox(deadRelay, { retryBaseMs: 60_000 }).drain()).toBe(1);
    expect(await mailsOf(leadId)).toEqual([{ kind: 'pool', status: 'queued', attempts: 1, last_error: 'ESOCKET' }]);
    // put off for a minute: a drain now takes nothing
    expect(await outbox(mail.smtpUrl).drain()).toBe(0);
    await sql(`update alert_mails set next_attempt_at = now() where lead_id = ?`, [leadId]);
    expect(await outbox(mail.smtpUrl).drain()).toBe(1);
    expect(await mailsOf(leadId)).toEqual([{ kind: 'pool', status: 'sent', attempts: 2, last_error: 'ESOCKET' }]);
    expect((await mail.list('manager@example.com')).filter(about(leadId))).toHaveLength(1);
  });

  it('gives up after the last attempt with an alert on the lead, once', async () => {
    const leadId = await newLead();
    await record(leadId, 'offer', 'broker-james');
    const dead = outbox(deadRelay, { maxAttempts: 3, retryBaseMs: 0 });
    expect([await dead.drain(), await dead.drain()]).toEqual([1, 1]);
    expect(await sql(`select count(*)::int as n from timeline_entries where lead_id = ? and type = 'alert'`, [leadId])).toEqual([{ n: 0 }]);
    expect(await dead.drain()).toBe(1);
    expect(await mailsOf(leadId)).toEqual([{ kind: 'offer', status: 'failed', attempts: 3, last_error: 'ESOCKET' }]);
    const alerts = await sql<{ body: string; meta: Record<string, unknown> }>(`select body, meta from timeline_entries where lead_id = ? and type = 'alert'`, [leadId]);
    expect(alerts).toEqual([{ body: 'The offer e-mail could not be sent after 3 attempts (ESOCKET)', meta: { kind: 'mail_failed', mailKind: 'offer', attempts: 3, error: 'ESOCKET' } }]);
    expect(await sql(`select alert_count from leads where id = ?`, [leadId])).toEqual([{ alert_count: 1 }]);
    // nothing retries for ever
    expect(await dead.drain()).toBe(0);
  });

  it('a kick sends in the background, and stop waits for it', async () => {
    const leadId = await newLead();
    await record(leadId, 'offer', 'broker-james');
    const box = outbox(mail.smtpUrl);
    box.kick();
    box.kick();
    await box.stop();
    expect(await mailsOf(leadId)).toEqual([{ kind: 'offer', status: 'sent', attempts: 1, last_error: null }]);
    expect((await mail.list('james@example.com')).filter(about(leadId))).toHaveLength(1);
    // stopped: a kick does nothing
    await record(leadId, 'pool', null);
    box.kick();
    await box.stop();
    expect((await mailsOf(leadId)).map((m) => m.status)).toEqual(['sent', 'queued']);
  });
});
