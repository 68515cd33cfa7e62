import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../lib/errors';

// Failed sign-ins are counted per account and per client address in Redis (shared by every
// API instance); successes cost nothing, and a success clears the account's count. Once
// either budget is spent, sign-in is refused for the block time, even with the right password.
export interface SignInLimiter {
  /** Throws the 429 envelope when the account or the address is blocked. */
  check(account: string, address: string): Promise<void>;
  failed(account: string, address: string): Promise<void>;
  succeeded(account: string): Promise<void>;
}

export function createSignInLimiter(redis: Redis, opts: { perAccount: number; perAddress: number; blockMinutes: number }): SignInLimiter {
  const duration = opts.blockMinutes * 60;
  const byAccount = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:signin:account', points: opts.perAccount, duration, blockDuration: duration });
  const byAddress = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:signin:address', points: opts.perAddress, duration, blockDuration: duration });

  const refuse = (msBeforeNext: number, scope: 'account' | 'address') => {
    const minutes = Math.max(1, Math.ceil(msBeforeNext / 60_000));
    const what = scope === 'account' ? 'for this account' : 'from your network address';
    return new AppError('too_many_sign_in_attempts', 429, `Too many failed sign-in attempts ${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or reset your password.`, {
      scope,
      retryAfterSeconds: Math.ceil(msBeforeNext / 1000),
    });
  };

  return {
    async check(account, address) {
      const [a, b] = await Promise.all([byAccount.get(account), byAddress.get(address)]);
      if (a && a.remainingPoints <= 0) throw refuse(a.msBeforeNext, 'account');
      if (b && b.remainingPoints <= 0) throw refuse(b.msBeforeNext, 'address');
    },
    async failed(account, address) {
      const results = await Promise.allSettled([byAccount.consume(account), byAddress.consume(address)]);
      for (const r of results) if (r.status === 'rejected' && !(r.reason instanceof RateLimiterRes)) throw r.reason;
    },
    async succeeded(account) {
      await byAccount.delete(account);
    },
  };
}
