import { Redis } from 'ioredis';

export function createRedis(url: string, keyPrefix = 'leadline:'): Redis {
  return new Redis(url, { maxRetriesPerRequest: 3, keyPrefix });
}
