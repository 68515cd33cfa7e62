import type { Context } from 'koa';
import type { MikroORM } from '@mikro-orm/postgresql';
import { InboundEventRepository } from '../../db/inbound-event.repository';
import type { InboundEvent } from '../../db/entities';
import { AppError } from '../../lib/errors';
import type { Metrics } from '../metrics';
import { readRawBody, WEBHOOK_BODY_LIMIT } from '../middleware/raw-body';
import { verifyMetaSignature } from './meta-signature';

export interface MappedBatch {
  skipped: Array<{ reason: string; detail?: string }>;
}

export interface ReceivedWebhook<T extends MappedBatch> {
  event: InboundEvent;
  events: InboundEventRepository;
  batch: T;
  outcome: (o: string) => void;
}

/**
 * The edge every signed Meta webhook shares: read the raw bytes (3 MB at most), check
 * X-Hub-Signature-256 over them, store the event before anything can fail, then parse and map.
 * A bad signature, malformed JSON or a foreign envelope is refused with a 4xx and the event
 * is kept as failed, so nothing received is lost.
 */
export async function receiveSignedWebhook<T extends MappedBatch>(
  ctx: Context,
  opts: {
    source: 'whatsapp' | 'leadads';
    secret: string | undefined;
    orm: MikroORM;
    metrics: Metrics;
    /** JSON.parse, or a variant that protects what it would corrupt. */
    parse: (text: string) => unknown;
    map: (body: unknown) => T;
    envelopeName: string;
  },
): Promise<ReceivedWebhook<T>> {
  const raw = await readRawBody(ctx, WEBHOOK_BODY_LIMIT);
  const signatureValid = opts.secret ? verifyMetaSignature(raw, ctx.get('x-hub-signature-256') || undefined, opts.secret) : null;
  const events = new InboundEventRepository(opts.orm.em.fork());
  // Stored before anything can fail, refused or not: the log is what a replay works from.
  const event = await events.record({ source: opts.source, rawBody: raw.toString('utf8'), contentType: ctx.get('content-type') || null, signatureValid });
  const outcome = (o: string) => opts.metrics.inboundEvents.inc({ source: opts.source, outcome: o });
  if (signatureValid === null) ctx.state.log.warn({ eventId: event.id, source: opts.source }, 'no app secret configured: accepting an unsigned webhook');

  if (signatureValid === false) {
    await events.finish(event, 'failed', { error: 'invalid or missing X-Hub-Signature-256' });
    outcome('bad_signature');
    throw new AppError('invalid_signature', 401, 'Invalid or missing X-Hub-Signature-256', { eventId: event.id });
  }
  let body: unknown;
  try {
    body = opts.parse(raw.toString('utf8'));
  } catch (err) {
    await events.finish(event, 'failed', { error: `malformed JSON: ${(err as Error).message}` });
    outcome('malformed');
    throw new AppError('invalid_json', 400, 'Body is not valid JSON', { eventId: event.id });
  }
  const batch = opts.map(body);
  const invalid = batch.skipped.find((s) => s.reason === 'invalid_envelope');
  if (invalid) {
    await events.finish(event, 'failed', { error: `not a ${opts.envelopeName}: ${invalid.detail ?? ''}` });
    outcome('invalid_envelope');
    throw new AppError('invalid_envelope', 400, `Body is not a ${opts.envelopeName} envelope`, { eventId: event.id, issues: invalid.detail });
  }
  return { event, events, batch, outcome };
}
