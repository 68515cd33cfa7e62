import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { LeadRepository } from '../db/lead.repository';
import { BROKER_EVENTS_CHANNEL, encodeLeadEvent, leadEventsChannel, type LeadLifecycleEvent } from '../lib/lead-events.channel';

// An alert on a lead from outside its workflow (a failed delivery status, a failed send, an
// unreachable lead, a Lead Ads fetch that failed): on the timeline once per key (which also
// bumps the inbox badge), on the lead's and the brokers' Redis channels, and in the logs by
// kind and id only. The alerts metric counts the timeline rows (api/metrics.ts), so every
// process's alerts are counted, whichever raised them.

export type AlertKind = 'send_failed' | 'delivery_failed' | 'unreachable' | 'leadgen_fetch_failed' | 'media_failed' | 'mail_failed';

export interface LeadAlert {
  leadId: string;
  kind: AlertKind;
  /** What went wrong, for the broker; no message text. */
  body: string;
  idempotencyKey: string;
  meta?: Record<string, unknown>;
}

export async function raiseLeadAlert(deps: { orm: MikroORM; redis: Redis; logger: Logger }, alert: LeadAlert): Promise<boolean> {
  const meta = { ...alert.meta, kind: alert.kind };
  const written = await new LeadRepository(deps.orm.em.fork()).recordLeadEvent({
    leadId: alert.leadId,
    type: 'alert',
    actor: 'system',
    body: alert.body,
    idempotencyKey: alert.idempotencyKey,
    meta,
  });
  const event: LeadLifecycleEvent = { type: 'alert', leadId: alert.leadId, body: alert.body, brokerId: null, by: null, idempotencyKey: alert.idempotencyKey, meta };
  const message = encodeLeadEvent(event);
  await deps.redis.publish(leadEventsChannel(alert.leadId), message);
  await deps.redis.publish(BROKER_EVENTS_CHANNEL, message);
  if (written) deps.logger.warn({ leadId: alert.leadId, kind: alert.kind, key: alert.idempotencyKey }, 'lead alert');
  return written;
}
