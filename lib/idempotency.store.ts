import type { Redis } from 'ioredis';

// Providers without an idempotency header (Meta's Cloud API, Twilio's Messages API) could send
// one reply twice when an activity is retried after the provider took it. The sender remembers
// which provider message id each idempotency key produced and skips a send already made.

export interface SendIdempotencyStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, providerId: string): Promise<void>;
}

/** Process-local fallback; production passes the Redis store shared by every worker. */
export function createMemoryIdempotencyStore(maxEntries = 10_000): SendIdempotencyStore {
  const map = new Map<string, string>();
  return {
    async get(key) {
      return map.get(key);
    },
    async set(key, providerId) {
      map.set(key, providerId);
      if (map.size > maxEntries) {
        const oldest = map.keys().next().value;
        if (oldest !== undefined) map.delete(oldest);
      }
    },
  };
}

/** Shared by every worker through Redis, namespaced per provider (`wa`, `sms`). */
export function createRedisIdempotencyStore(redis: Redis, namespace: string, ttlSeconds = 8 * 24 * 3600): SendIdempotencyStore {
  const key = (k: string) => `${namespace}:sent:${k}`;
  return {
    async get(k) {
      return (await redis.get(key(k))) ?? undefined;
    },
    async set(k, providerId) {
      await redis.set(key(k), providerId, 'EX', ttlSeconds);
    },
  };
}
