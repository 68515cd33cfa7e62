import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AlertRecipientsRepository, type LeadGist } from '../db/alert-recipients.repository';
import { isHandoffOffer } from '../lib/lead-events.channel';
import type { Mail, Mailer } from '../lib/mailer';

// E-mail for the handoff events people must hear about even with the app closed: an offer goes
// to the broker it names, a missed claim and the unclaimed pool go to the managers. Sent once,
// right after the timeline entry is first written (the write is idempotent, so a retried
// activity never mails twice), with one SMTP attempt: a mail that cannot go out is logged by
// lead id and kind and dropped. The live feed and the timeline still carry the event.

export type AlertMailKind = 'offer' | 'escalation' | 'pool';

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

/** Sends the e-mails an event calls for; never throws (the event is recorded either way). */
export function createAlertMail(deps: AlertMailDeps) {
  return async function mailAlert(event: AlertMailEvent): Promise<number> {
    const kind = alertMailKind(event);
    if (!kind) return 0;
    try {
      const repo = new AlertRecipientsRepository(deps.orm.em.fork());
      const to = kind === 'offer' ? [await repo.offerRecipient(event.brokerId!)].filter((a): a is string => a !== null) : await repo.escalationRecipients();
      if (to.length === 0) return 0;
      const gist = await repo.leadGist(event.leadId);
      if (!gist) return 0;
      const mail = composeAlertMail(kind, event, gist, deps.webUrl);
      let sent = 0;
      for (const address of to) {
        try {
          await deps.mailer.send({ to: address, ...mail });
          sent++;
        } catch (err) {
          // No address or name here: the lead id and kind are enough to find it.
          deps.logger.warn({ leadId: event.leadId, kind, err: (err as NodeJS.ErrnoException).code ?? 'send_failed' }, 'alert e-mail not sent');
        }
      }
      return sent;
    } catch (err) {
      deps.logger.warn({ leadId: event.leadId, kind, err: err instanceof Error ? err.name : 'error' }, 'alert e-mail skipped');
      return 0;
    }
  };
}
