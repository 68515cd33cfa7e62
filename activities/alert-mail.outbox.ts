import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AlertMailRepository, type QueuedAlertMail } from '../db/alert-mail.repository';
import { raiseLeadAlert } from '../intake/lead-alert.raiser';
import type { AlertMailSender } from './alert-mail';

// Sends the queued alert e-mails (db/alert-mail.repository.ts) outside the lead's workflow task:
// the handoff step only writes its timeline entry, with the mail queued in the same statement,
// and that write is short enough to run as a local activity (#13). Kicked by the write, and
// swept on a timer by the worker process for mails a dead worker held or a failure put off.
// A mail that reaches no one is tried MAX_ATTEMPTS times over about three quarters of an hour,
// then given up with an alert on the lead: nothing retries for ever, and a person sees it.

export interface AlertMailOutboxOptions {
  orm: MikroORM;
  redis: Redis;
  logger: Logger;
  send: AlertMailSender;
  /** Attempts before giving up (default 5). */
  maxAttempts?: number;
  /** Wait after the first failed attempt, multiplied by 4 after each (default 45 s: 45 s, 3, 12 and 48 min). */
  retryBaseMs?: number;
  /** How long a taken mail is another sender's to skip (default 5 min: four managers at the SMTP time limits). */
  leaseMs?: number;
  /** Mails taken at once (default 20). */
  batch?: number;
}

export interface AlertMailOutbox {
  /** Something was queued (or may be due): send what is due now, soon, in the background. */
  kick(): void;
  /** Sends what is due now; resolves with how many were taken. */
  drain(): Promise<number>;
  /** Kicks every `ms` (the worker process; a test kicks for itself). */
  sweepEvery(ms: number): void;
  /** No more kicks; waits for the mails being sent. */
  stop(): Promise<void>;
}

export function createAlertMailOutbox(options: AlertMailOutboxOptions): AlertMailOutbox {
  const { orm, logger, send } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryBaseMs = options.retryBaseMs ?? 45_000;
  const leaseMs = options.leaseMs ?? 300_000;
  const batch = options.batch ?? 20;
  const repo = () => new AlertMailRepository(orm.em.fork());
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function settle(mail: QueuedAlertMail): Promise<void> {
    const outcome = await send(mail);
    if (outcome.status !== 'failed') return repo().settle(mail.id, outcome.status);
    if (mail.attempts < maxAttempts) return repo().retryLater(mail.id, retryBaseMs * 4 ** (mail.attempts - 1), outcome.error);
    await repo().settle(mail.id, 'failed', outcome.error);
    // Given up: the broker (or the managers) never heard of it by mail. The inbox badge and the
    // live feed carry it instead (once: the key is the mail's own).
    await raiseLeadAlert(
      { orm, redis: options.redis, logger },
      {
        leadId: mail.leadId,
        kind: 'mail_failed',
        body: `The ${mail.kind === 'offer' ? 'offer' : mail.kind === 'pool' ? 'unclaimed-lead' : 'missed-claim'} e-mail could not be sent after ${mail.attempts} attempts (${outcome.error})`,
        idempotencyKey: `alert-mail:${mail.id}:failed`,
        meta: { mailKind: mail.kind, attempts: mail.attempts, error: outcome.error },
      },
    );
  }

  async function drain(): Promise<number> {
    const due = await repo().claimDue(batch, leaseMs);
    // One mail's failure (its database write) leaves it for the lease to give back, not the batch.
    await Promise.all(
      due.map((mail) =>
        settle(mail).catch((err: unknown) => logger.warn({ leadId: mail.leadId, kind: mail.kind, err: err instanceof Error ? err.name : 'error' }, 'alert e-mail left for the next sweep')),
      ),
    );
    return due.length;
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        while (!stopped && (await drain()) === batch);
      } while (again && !stopped);
    })()
      .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'alert e-mail outbox not drained; the next sweep tries again'))
      .finally(() => (running = null));
  }

  return {
    kick,
    drain,
    sweepEvery(ms) {
      clearInterval(timer);
      timer = setInterval(kick, ms);
      timer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
