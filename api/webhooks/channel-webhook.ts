import type { Context } from 'koa';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { ChannelParseError, type ChannelInbound, type SignatureCheck, type WebhookRequest } from '../../channels/channel.contract';
import { InboundEventRepository } from '../../db/inbound-event.repository';
import type { InboundEvent } from '../../db/entities';
import type { InboundBatch } from '../../domain/inbound-batch.types';
import { normalizeInboundBatch } from '../../intake/inbound.normalizer';
import { AppError } from '../../lib/errors';
import type { Env } from '../../lib/env';
import type { Metrics } from '../metrics';
import { clientAddress } from '../middleware/client-address';
import { createRateLimit, type RateLimit } from '../middleware/rate-limit';
import { readWebhookBody, recordRejected, storableText } from './webhook-body';

export interface ReceivedWebhook<D> {
  event: InboundEvent;
  events: InboundEventRepository;
  batch: InboundBatch & { deferred: D[] };
  outcome: (o: string) => void;
}

/** What the edge needs besides the database: Redis for the rejected-body records and the per-address limit on unsigned traffic. */
export interface WebhookEdge {
  redis: Redis;
  unsignedLimit: RateLimit;
  rejectedTtlSeconds: number;
}

export function createWebhookEdge(redis: Redis, env: Pick<Env, 'WEBHOOK_UNSIGNED_PER_MINUTE' | 'WEBHOOK_REJECTED_TTL_HOURS'>): WebhookEdge {
  return {
    redis,
    unsignedLimit: createRateLimit(redis, { name: 'webhook-unsigned', points: env.WEBHOOK_UNSIGNED_PER_MINUTE, durationSeconds: 60 }),
    rejectedTtlSeconds: env.WEBHOOK_REJECTED_TTL_HOURS * 3600,
  };
}

/**
 * The edge every channel webhook shares: read the bytes (3 MB at most, compressed ones
 * decoded), let the channel check its signature, and only then store the event, before anything
 * else can fail; then let the channel parse it and bound every field (intake/inbound.normalizer).
 * A forged or unsigned body (where a secret is configured) is refused with 401/403 and kept only
 * as a small expiring record; past a per-address limit it gets 429 and nothing at all. A
 * correctly signed body is never rate limited, and what it contains never gets a 5xx: an
 * unreadable body or a foreign envelope is refused with 400 and kept as failed.
 */
export async function receiveChannelWebhook<D>(ctx: Context, inbound: ChannelInbound<D>, deps: { orm: MikroORM; metrics: Metrics; edge: WebhookEdge }): Promise<ReceivedWebhook<D>> {
  const bytes = await readWebhookBody(ctx);
  const request: WebhookRequest = {
    rawBody: bytes.body,
    headers: Object.fromEntries(Object.entries(ctx.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v])),
    origin: `${ctx.protocol}://${ctx.host}`,
    originalUrl: ctx.originalUrl,
    contentType: ctx.get('content-type') || null,
  };
  const outcome = (o: string) => deps.metrics.inboundEvents.inc({ source: inbound.source, outcome: o });
  // A provider signs what it sent; for a compressed body that may be either form.
  let check: SignatureCheck = inbound.verify(request);
  if (check === 'invalid' && bytes.wire !== bytes.body) check = inbound.verify({ ...request, rawBody: bytes.wire });
  if (check === 'invalid') {
    await deps.edge.unsignedLimit.consume(ctx, `ip:${clientAddress(ctx)}`);
    const record = await recordRejected(deps.edge.redis, inbound.source, bytes.wire, deps.edge.rejectedTtlSeconds);
    outcome('bad_signature');
    ctx.state.log.warn({ source: inbound.source, sha256: record.sha256, size: record.size }, 'webhook with an invalid or missing signature refused');
    throw new AppError('invalid_signature', inbound.rejectStatus, `Invalid or missing ${inbound.signatureHeader}`, { sha256: record.sha256, size: record.size });
  }
  const events = new InboundEventRepository(deps.orm.em.fork());
  // Stored once the signature holds, before anything can fail: the log is what a replay works from.
  const event = await events.record({ source: inbound.source, rawBody: storableText(bytes.body), contentType: request.contentType?.slice(0, 255) ?? null, signatureValid: check === 'unsigned' ? null : true });
  if (check === 'unsigned') ctx.state.log.warn({ eventId: event.id, source: inbound.source }, 'no signing secret configured: accepting an unsigned webhook');

  try {
    return { event, events, batch: normalizeInboundBatch(parseOrRefuse(inbound, request)), outcome };
  } catch (err) {
    if (!(err instanceof ChannelParseError)) throw err;
    const envelope = err.code === 'invalid_envelope';
    await events.finish(event, 'failed', { error: envelope ? `not a ${inbound.envelopeName}: ${err.detail ?? ''}` : (err.detail ?? err.message) });
    outcome(envelope ? 'invalid_envelope' : 'malformed');
    throw new AppError(err.code, 400, envelope ? `Body is not a ${inbound.envelopeName} envelope` : err.message, { eventId: event.id, ...(err.detail && { issues: err.detail }) });
  }
}

/** A parser that throws anything but ChannelParseError met content it did not expect: that is a 400, never a 500. */
function parseOrRefuse<D>(inbound: ChannelInbound<D>, request: WebhookRequest): InboundBatch & { deferred: D[] } {
  try {
    return inbound.parse(request);
  } catch (err) {
    if (err instanceof ChannelParseError) throw err;
    throw new ChannelParseError('invalid_envelope', 'Body could not be read', `${(err as Error).name}: unreadable content`);
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
