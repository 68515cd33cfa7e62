import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { z } from 'zod';
import { SlaDigestRepository, type SlaMiss } from '../db/sla-digest.repository';
import type { Env } from '../lib/env';
import type { Mail, Mailer } from '../lib/mailer';

// The daily digest of SLA misses for managers and admins (#15 point 6, ADR 016), run by the
// schedule's slaDigestWorkflow. One mail per recipient and day at most: the user's row in
// digest_sends is written before the send (as ADR 015 does for alerts), so a retried activity
// skips whoever was mailed; a send the relay refused gives its row back and fails the attempt,
// and the activity's bounded retries try that recipient again.

const DAY_MS = 86_400_000;

const SlaDigestActivityInput = z.object({
  /** The digest's nominal time: it covers the 24 h before it. */
  at: z.iso.datetime({ offset: true }),
});

/** Counts only: the workflow's result is in Temporal's history, so no address or name goes there. */
export interface SlaDigestResult {
  day: string;
  misses: number;
  recipients: number;
  sent: number;
  alreadySent: number;
}

/** The calendar day (YYYY-MM-DD) of `at` in the brokerage's time zone: the key a digest is sent once for. */
export function digestDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Subject and text: per broker, each lead's first name, score and a link, as the alert mails carry; never the conversation. */
export function composeSlaDigest(misses: SlaMiss[], options: { day: string; webUrl: string; timeZone: string }): Omit<Mail, 'to'> {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: options.timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const base = options.webUrl.replace(/\/$/, '');
  const line = (m: SlaMiss) => `  - ${time.format(m.at)}  ${m.firstName ?? 'A lead'} (${m.score === null ? 'not scored yet' : `score ${m.score}`}): ${base}/leads/${m.leadId}`;
  const claims = misses.filter((m) => m.kind === 'missed_claim');
  const pool = misses.filter((m) => m.kind === 'pool');
  const byBroker = new Map<string, SlaMiss[]>();
  for (const m of claims) {
    const key = m.brokerId ?? 'unknown';
    byBroker.set(key, [...(byBroker.get(key) ?? []), m]);
  }
  // The broker who missed the most first: that is who the manager talks to.
  const groups = [...byBroker.entries()].sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b));
  const sections = groups.map(([brokerId, list]) => {
    const name = list[0]!.brokerName ? `${list[0]!.brokerName} (${brokerId})` : brokerId;
    return `${name}: ${plural(list.length, 'missed claim', 'missed claims')}\n${list.map(line).join('\n')}`;
  });
  if (pool.length) sections.push(`Unclaimed pool: ${plural(pool.length, 'lead nobody claimed', 'leads nobody claimed')}\n${pool.map(line).join('\n')}`);
  return {
    subject: `SLA misses for ${options.day}: ${plural(claims.length, 'missed claim', 'missed claims')}, ${plural(pool.length, 'lead', 'leads')} to the pool`,
    text: `Handoffs not claimed within the SLA in the 24 hours before this digest.\n\n${sections.join('\n\n')}\n\nTurn this digest off in Settings: ${base}/settings\n`,
  };
}

export interface SlaDigestDeps {
  orm: MikroORM;
  mailer: Mailer;
  logger: Logger;
  env: Pick<Env, 'WEB_URL' | 'DEFAULT_TIME_ZONE'>;
}

export function createSlaDigestActivities(deps: SlaDigestDeps) {
  return {
    /** Mails the digest of the 24 h before `at` to every manager and admin who wants it and has not had that day's. */
    async sendSlaDigest(input: z.input<typeof SlaDigestActivityInput>): Promise<SlaDigestResult> {
      const to = new Date(SlaDigestActivityInput.parse(input).at);
      const timeZone = deps.env.DEFAULT_TIME_ZONE;
      const day = digestDay(to, timeZone);
      const repo = new SlaDigestRepository(deps.orm.em.fork());
      const misses = await repo.misses(new Date(to.getTime() - DAY_MS), to);
      const result: SlaDigestResult = { day, misses: misses.length, recipients: 0, sent: 0, alreadySent: 0 };
      // A day without misses sends nothing: a daily "all fine" trains people to skip the mail (ADR 016).
      if (misses.length === 0) return result;
      const recipients = await repo.recipients();
      result.recipients = recipients.length;
      const mail = composeSlaDigest(misses, { day, webUrl: deps.env.WEB_URL, timeZone });
      let failed = 0;
      for (const r of recipients) {
        if (!(await repo.claim(r.userId, day))) {
          result.alreadySent++;
          continue;
        }
        try {
          await deps.mailer.send({ to: r.email, ...mail });
        } catch (err) {
          await repo.release(r.userId, day);
          failed++;
          // The user id is enough to find who; never the address.
          deps.logger.warn({ day, userId: r.userId, err: (err as NodeJS.ErrnoException).code ?? 'send_failed' }, 'sla digest e-mail not sent');
          continue;
        }
        await repo.markSent(r.userId, day);
        result.sent++;
      }
      if (failed > 0) throw ApplicationFailure.retryable(`${failed} of ${recipients.length} SLA digest e-mails not sent`, 'DigestMailFailed');
      deps.logger.info({ ...result }, 'sla digest sent');
      return result;
    },
  };
}

export type SlaDigestActivities = ReturnType<typeof createSlaDigestActivities>;
