import type { Context } from 'koa';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ChannelParseError, type ChannelInbound, type WebhookRequest } from '../../channels/channel.contract';
import { InboundEventRepository } from '../../db/inbound-event.repository';
import type { InboundEvent } from '../../db/entities';
import type { InboundBatch } from '../../domain/inbound-batch.types';
import { AppError } from '../../lib/errors';
import type { Metrics } from '../metrics';
import { readRawBody, WEBHOOK_BODY_LIMIT } from '../middleware/raw-body';

export interface ReceivedWebhook<D> {
  event: InboundEvent;
  events: InboundEventRepository;
  batch: InboundBatch & { deferred: D[] };
  outcome: (o: string) => void;
}

/**
 * The edge every channel webhook shares: read the raw bytes (3 MB at most), let the channel
 * check its signature over them, store the event before anything can fail, then let the
 * channel parse it. A bad signature, an unreadable body or a foreign envelope is refused with
 * a 4xx in the error envelope and the event is kept as failed, so nothing received is lost.
 */
export async function receiveChannelWebhook<D>(ctx: Context, inbound: ChannelInbound<D>, deps: { orm: MikroORM; metrics: Metrics }): Promise<ReceivedWebhook<D>> {
  const raw = await readRawBody(ctx, WEBHOOK_BODY_LIMIT);
  const request: WebhookRequest = {
    rawBody: raw,
    headers: Object.fromEntries(Object.entries(ctx.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v])),
    origin: `${ctx.protocol}://${ctx.host}`,
    originalUrl: ctx.originalUrl,
    contentType: ctx.get('content-type') || null,
  };
  const check = inbound.verify(request);
  const events = new InboundEventRepository(deps.orm.em.fork());
  // Stored before anything can fail, refused or not: the log is what a replay works from.
  const event = await events.record({ source: inbound.source, rawBody: raw.toString('utf8'), contentType: request.contentType, signatureValid: check === 'unsigned' ? null : check === 'valid' });
  const outcome = (o: string) => deps.metrics.inboundEvents.inc({ source: inbound.source, outcome: o });
  if (check === 'unsigned') ctx.state.log.warn({ eventId: event.id, source: inbound.source }, 'no signing secret configured: accepting an unsigned webhook');

  if (check === 'invalid') {
    await events.finish(event, 'failed', { error: `invalid or missing ${inbound.signatureHeader}` });
    outcome('bad_signature');
    throw new AppError('invalid_signature', inbound.rejectStatus, `Invalid or missing ${inbound.signatureHeader}`, { eventId: event.id });
  }
  try {
    return { event, events, batch: inbound.parse(request), outcome };
  } catch (err) {
    if (!(err instanceof ChannelParseError)) throw err;
    const envelope = err.code === 'invalid_envelope';
    await events.finish(event, 'failed', { error: envelope ? `not a ${inbound.envelopeName}: ${err.detail ?? ''}` : (err.detail ?? err.message) });
    outcome(envelope ? 'invalid_envelope' : 'malformed');
    throw new AppError(err.code, 400, envelope ? `Body is not a ${inbound.envelopeName} envelope` : err.message, { eventId: event.id, ...(err.detail && { issues: err.detail }) });
  }
}

/** Runs the intake for a received body; a failure marks the event failed and answers 5xx so the provider redelivers. */
export async function ingestReceived<T>(received: ReceivedWebhook<unknown>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    // Stored and marked: the provider redelivers, and the edge dedupe skips what went through.
    await received.events.finish(received.event, 'failed', { error: `processing failed: ${(err as Error).message}` });
    received.outcome('error');
    throw err;
  }
}
