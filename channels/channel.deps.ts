import type { Logger } from 'pino';
import type { Env } from '../lib/env';
import type { SendIdempotencyStore } from '../lib/idempotency.store';

/** What a channel factory gets: configuration, a logger, and where sends remember their keys. */
export interface ChannelDeps {
  env: Env;
  logger: Logger;
  /** A store per provider namespace (`wa`, `sms`); the worker passes Redis-backed ones. */
  idempotency: (namespace: string) => SendIdempotencyStore;
  now?: () => Date;
}
