import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AlertRecipientsRepository, type LeadGist } from '../db/alert-recipients.repository';
import { isHandoffOffer } from '../lib/lead-events.channel';
import type { AlertMailKind, QueuedAlertMail } from '../db/alert-mail.repository';
import type { Mail, Mailer } from '../lib/mailer';

// E-mail for the handoff events people must hear about even with the app closed: an offer goes
// to the broker it names, a missed claim and the unclaimed pool go to the managers. The timeline
// write queues the mail (db/alert-mail.repository.ts) and the worker's outbox sends it
// (alert-mail.outbox.ts): who gets it and what it says are read when it goes out.

export interface AlertMailEvent {
  leadId: string;
  type: string;
  brokerId?: string | null;
  meta?: Record<string, unknown>;
}

/** Which e-mail an event calls for, if any (the workflow's handoff step writes these shapes). */
export function alertMailKind(event: AlertMailEvent): AlertMailKind | null {
  const meta = event.meta ?? {};
  if (event.type === 'alert' && meta.kind === 'handoff_unclaimed') return 'pool';
  if (event.type !== 'handoff') return null;
  if (typeof meta.escalation === 'number') return 'escalation';
  if (isHandoffOffer(event)) return 'offer';
  return null;
}

/** Subject and text: the lead's first name and score and a link, never the conversation. */
export function composeAlertMail(kind: AlertMailKind, event: AlertMailEvent, gist: LeadGist, webUrl: string): Omit<Mail, 'to'> {
  const who = gist.firstName ?? 'A lead';
  const score = gist.score === null ? 'not scored yet' : `score ${gist.score}`;
  const link = `${webUrl.replace(/\/$/, '')}/leads/${event.leadId}`;
  const meta = event.meta ?? {};
  if (kind === 'offer') {
    const due = typeof meta.slaDueAt === 'string' ? ` Claim it by ${meta.slaDueAt} or it moves on.` : '';
    return { subject: `New lead for you: ${who} (${score})`, text: `${who} (${score}) was handed to you.${due}\n\nOpen the lead: ${link}\n` };
  }
  if (kind === 'escalation') {
    return { subject: `Missed claim: ${who} (${score})`, text: `${event.brokerId ?? 'A broker'} did not claim ${who} (${score}) in time; the lead was escalated.\n\nOpen the lead: ${link}\n` };
  }
  return { subject: `Unclaimed lead in the pool: ${who} (${score})`, text: `${who} (${score}) is unclaimed and in the shared pool for any broker to claim.\n\nOpen the lead: ${link}\n` };
}

export interface AlertMailDeps {
  orm: MikroORM;
  mailer: Mailer;
  logger: Logger;
  webUrl: string;
}

/**
 * What became of one queued mail: `sent` to at least one person (an address the relay refused is
 * logged and not tried again), `skipped` when nobody wants it, `failed` when it reached no one
 * (the relay is down or refused them all): the outbox tries again later.
 */
export type AlertMailOutcome = { status: 'sent' | 'skipped' } | { status: 'failed'; error: string };

/** Sends one queued mail to everyone it is for; never throws. */
export function createAlertMailSender(deps: AlertMailDeps) {
  return async function sendAlertMail(mail: QueuedAlertMail): Promise<AlertMailOutcome> {
    const event: AlertMailEvent = { leadId: mail.leadId, type: mail.kind === 'pool' ? 'alert' : 'handoff', brokerId: mail.brokerId, meta: mail.meta };
    let error = 'send_failed';
    try {
      const repo = new AlertRecipientsRepository(deps.orm.em.fork());
      const to = mail.kind === 'offer' ? [mail.brokerId ? await repo.offerRecipient(mail.brokerId) : null].filter((a): a is string => a !== null) : await repo.escalationRecipients();
      if (to.length === 0) return { status: 'skipped' };
      const gist = await repo.leadGist(mail.leadId);
      if (!gist) return { status: 'skipped' };
      const composed = composeAlertMail(mail.kind, event, gist, deps.webUrl);
      let sent = 0;
      for (const address of to) {
        try {
          await deps.mailer.send({ to: address, ...composed });
          sent++;
        } catch (err) {
          error = (err as NodeJS.ErrnoException).code ?? 'send_failed';
          // No address or name here: the lead id and kind are enough to find it.
          deps.logger.warn({ leadId: mail.leadId, kind: mail.kind, attempt: mail.attempts, err: error }, 'alert e-mail not sent');
        }
      }
      return sent > 0 ? { status: 'sent' } : { status: 'failed', error };
    } catch (err) {
      error = err instanceof Error ? err.name : 'error';
      deps.logger.warn({ leadId: mail.leadId, kind: mail.kind, attempt: mail.attempts, err: error }, 'alert e-mail not composed');
      return { status: 'failed', error };
    }
  };
}

export type AlertMailSender = ReturnType<typeof createAlertMailSender>;
