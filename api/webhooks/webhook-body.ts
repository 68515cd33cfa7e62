import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import type { Context } from 'koa';
import type { Redis } from 'ioredis';
import { AppError } from '../../lib/errors';
import { readRawBody, WEBHOOK_BODY_LIMIT } from '../middleware/raw-body';

// The bytes of a webhook as a channel must see them. Compressed bodies (Content-Encoding gzip,
// deflate or br) are decoded here, bounded like plain ones; any other encoding is refused with
// 415 before anything is stored, rather than kept as bytes nobody can read.

const DECODERS = { gzip: promisify(gunzip), 'x-gzip': promisify(gunzip), deflate: promisify(inflate), br: promisify(brotliDecompress) } as const;

export interface WebhookBytes {
  /** As received on the wire (what a provider may have signed). */
  wire: Buffer;
  /** Decoded (the same buffer when the body was not compressed). */
  body: Buffer;
}

export async function readWebhookBody(ctx: Context): Promise<WebhookBytes> {
  const encoding = (ctx.get('content-encoding') || 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && !(encoding in DECODERS)) {
    throw new AppError('unsupported_encoding', 415, `Content-Encoding ${encoding.slice(0, 40)} is not supported (gzip, deflate, br or none)`, { supported: ['identity', ...Object.keys(DECODERS)] });
  }
  const wire = await readRawBody(ctx, WEBHOOK_BODY_LIMIT);
  if (encoding === 'identity') return { wire, body: wire };
  try {
    const body = await DECODERS[encoding as keyof typeof DECODERS](wire, { maxOutputLength: WEBHOOK_BODY_LIMIT });
    return { wire, body };
  } catch (err) {
    const tooBig = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
    if (tooBig) throw new AppError('payload_too_large', 413, `Decoded body exceeds ${WEBHOOK_BODY_LIMIT} bytes`, { limit: WEBHOOK_BODY_LIMIT });
    throw new AppError('unsupported_encoding', 415, `The body is not valid ${encoding}`, { encoding });
  }
}

/** Postgres text cannot hold NUL: the stored copy drops it (the parser sees the bytes as sent). */
export const storableText = (body: Buffer) => body.toString('utf8').replace(/\u0000/g, '');

export interface RejectedRecord {
  source: string;
  sha256: string;
  size: number;
  /** The first bytes, base64: enough to recognise a misconfigured sender, too little to hold a conversation. */
  head: string;
  at: string;
}

export const REJECTED_HEAD_BYTES = 64;
export const rejectedKey = (source: string, sha256: string) => `rejected-webhook:${source}:${sha256}`;

/**
 * A body whose signature did not check out is never stored in full: a small record (hash, size,
 * first bytes) that expires is all that is kept, so unsigned traffic cannot fill the database.
 */
export async function recordRejected(redis: Redis, source: string, wire: Buffer, ttlSeconds: number): Promise<RejectedRecord> {
  const record: RejectedRecord = {
    source,
    sha256: createHash('sha256').update(wire).digest('hex'),
    size: wire.length,
    head: wire.subarray(0, REJECTED_HEAD_BYTES).toString('base64'),
    at: new Date().toISOString(),
  };
  await redis.set(rejectedKey(source, record.sha256), JSON.stringify(record), 'EX', ttlSeconds);
  return record;
}
