import type { Context } from 'koa';
import { cleanJson } from '../../domain/safe-text';
import { AppError } from '../../lib/errors';

/** Meta batches up to 3 MB of updates in one POST. */
export const WEBHOOK_BODY_LIMIT = 3 * 1024 * 1024;

// Webhook signatures are computed over the bytes as sent, so the body is read raw and only
// parsed after it is stored and verified. Reading stops at the limit instead of buffering
// an unbounded body.
export async function readRawBody(ctx: Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      ctx.req.destroy();
      throw tooLarge(limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(limit: number) {
  return new AppError('payload_too_large', 413, `Body exceeds ${limit} bytes`, { limit });
}

export async function readJson(ctx: Context, limit = 1024 * 1024): Promise<unknown> {
  const raw = await readRawBody(ctx, limit);
  if (raw.length === 0) return {};
  try {
    // NUL bytes and lone surrogates never get past the edge: Postgres refuses them, for ever.
    return cleanJson(JSON.parse(raw.toString('utf8')), { maxString: Number.POSITIVE_INFINITY, maxItems: 10_000, maxDepth: 32 });
  } catch (err) {
    throw new AppError('invalid_json', 400, 'Request body is not valid JSON', { reason: (err as Error).message });
  }
}
