import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { InboundEventRepository } from '../../db/inbound-event.repository';
import { startStoredEventIntake } from '../../intake/deferred-intake.starter';
import { createHandOnQueue } from '../../intake/inbound-handon.queue';
import type { Env } from '../../lib/env';
import type { Metrics } from '../metrics';

export interface InboundHandOn {
  /**
   * Takes a stored event in after its ack, behind the same sender's earlier events (`key`), and
   * marks it processed with what `intake` returns (unless something marked it first); a failure is retried, then the event is marked failed and alerted.
   */
  enqueue(job: { key: string; source: string; eventId: string; intake: () => Promise<{ providerIds: string[]; error?: string }> }): void;
  /** Stops the sweep and waits for the jobs already accepted (SIGTERM: their events were acknowledged). */
  stop(): Promise<void>;
}

/**
 * The API process's hand-on of acknowledged webhook events (WEBHOOK_ACK=async): the queue that
 * runs their intake in order per sender, an alert when one cannot be handed on, and a sweep that
 * gives WhatsApp, SMS and Lead Ads events an instance acknowledged but never finished (it died)
 * to the stored-event intake workflow, which works from the raw body. Handing an event on twice is
 * safe (the intake dedupes).
 */
export function createInboundHandOn(deps: { env: Env; orm: MikroORM; temporal: Client; logger: Logger; metrics?: Metrics }): InboundHandOn {
  const log = deps.logger.child({ component: 'inbound-handon' });
  const queue = createHandOnQueue({
    lanes: deps.env.WEBHOOK_HANDON_LANES,
    maxAttempts: deps.env.WEBHOOK_HANDON_MAX_ATTEMPTS,
    baseDelayMs: 250,
    maxDelayMs: deps.env.WEBHOOK_HANDON_MAX_DELAY_MS,
    onRetry: (job, err, attempt, delayMs) => log.warn({ eventId: job.eventId, attempt, delayMs, err: (err as Error).message }, 'inbound event hand-on failed; retrying'),
    onGiveUp: async (job, err, attempts) => {
      log.error({ alert: 'inbound_handon_failed', eventId: job.eventId, attempts, err: (err as Error).message }, 'an acknowledged inbound event could not be handed on; it is kept as failed for a replay');
      deps.metrics?.inboundEvents.inc({ source: job.source, outcome: 'handon_failed' });
      await new InboundEventRepository(deps.orm.em.fork()).markFailed(job.eventId, `hand-on gave up after ${attempts} attempts: ${(err as Error).message}`);
    },
  });

  const sweepAfter = deps.env.WEBHOOK_HANDON_SWEEP_AFTER_MS;
  let sweeping: Promise<void> = Promise.resolve();
  const sweep = async () => {
    const stale = await deps.orm.em.fork().getConnection().execute<{ id: string; source: string }[]>(
      `select id, source from inbound_events where source in ('whatsapp', 'sms', 'leadads') and status = 'received'
         and received_at < now() - make_interval(secs => ?) and received_at > now() - interval '1 day'
       order by received_at limit 200`,
      [sweepAfter / 1000],
    );
    for (const { id, source } of stale) await startStoredEventIntake({ temporal: deps.temporal, env: deps.env }, id, `${source} event left unfinished by an API instance`);
    if (stale.length > 0) log.warn({ events: stale.length }, 'unfinished inbound events handed to the stored-event intake');
  };
  const timer = sweepAfter > 0
    ? setInterval(() => {
        sweeping = sweep().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'inbound event sweep failed; next one retries'));
      }, Math.max(10_000, Math.floor(sweepAfter / 2)))
    : null;
  timer?.unref();

  return {
    enqueue: ({ intake, ...job }) =>
      queue.push({
        ...job,
        run: async () => {
          const record = await intake();
          // Only while still `received`: a Lead Ads intake workflow may already have marked it failed.
          await new InboundEventRepository(deps.orm.em.fork()).finishIfReceived(job.eventId, 'processed', record);
        },
      }),
    async stop() {
      if (timer) clearInterval(timer);
      await sweeping;
      await queue.drain();
    },
  };
}
