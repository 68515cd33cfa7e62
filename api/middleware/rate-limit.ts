import type { Context, Middleware } from 'koa';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../lib/errors';

// Per-key limits shared by every API instance through Redis: web chat per session and per
// address, the broker API per user, webhooks per address only when their signature fails (a
// correctly signed delivery is never dropped: a burst from one contact is coalesced into one
// agent turn by the lead workflow instead).

export interface RateLimit {
  /** Takes one point for `key`, or sets Retry-After and throws the 429 error envelope. */
  consume(ctx: Context, key: string): Promise<void>;
}

export function createRateLimit(redis: Redis, options: { name: string; points: number; durationSeconds: number }): RateLimit {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `rl:${options.name}`,
    points: options.points,
    duration: options.durationSeconds,
  });
  return {
    async consume(ctx, key) {
      try {
        await limiter.consume(key);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        ctx.set('Retry-After', String(retryAfter));
        throw new AppError('rate_limited', 429, `Too many requests; retry in ${retryAfter} s`, { retryAfterSeconds: retryAfter, limit: options.points, windowSeconds: options.durationSeconds });
      }
    },
  };
}

/** The broker API, per signed-in user (or the machine token): one runaway client cannot starve the rest. */
export function limitPerPrincipal(limit: RateLimit): Middleware {
  return async (ctx, next) => {
    const p = ctx.state.principal as { id: string } | undefined;
    if (p) await limit.consume(ctx, `principal:${p.id}`);
    await next();
  };
}
