import { z } from 'zod';
import { envFlag } from './env-flag.schema';

// What the API lets in and how fast: proxies, webhook acknowledgement and hand-on, rate limits.
export const edgeEnv = {
  TRUST_PROXY: envFlag.default(false),
  /** With TRUST_PROXY: how many proxies of ours append to X-Forwarded-For; entries left of them (a client's own) are ignored. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  // ---- Edge limits (#12). A correctly signed Meta or Twilio delivery is never limited.
  /** Webhook posts with a bad or missing signature per client address per minute before 429 (nothing is stored for them either way). */
  WEBHOOK_UNSIGNED_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /**
   * async (default): a WhatsApp webhook is answered once its event is stored; the intake
   * (contact, lead, signal-with-start) follows in the background, in order per sender (#13).
   * inline: the answer waits for the intake (a failure then makes Meta redeliver).
   */
  WEBHOOK_ACK: z.enum(['async', 'inline']).default('async'),
  /**
   * Senders handed on side by side (at most DATABASE_POOL_MAX - 2: the rest of the pool stays free
   * for acks and pages), the attempts (doubling from 250 ms to WEBHOOK_HANDON_MAX_DELAY_MS) before
   * an event is marked failed and alerted. 4 lanes hand on far more than a worker answers; more
   * only made a burst's acks wait on the API's own event loop (docs/scale.md).
   */
  WEBHOOK_HANDON_LANES: z.coerce.number().int().min(1).max(256).default(4),
  WEBHOOK_HANDON_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  WEBHOOK_HANDON_MAX_DELAY_MS: z.coerce.number().int().min(10).default(30_000),
  /** Stored events still unprocessed this long (their API instance died) are taken in from the stored event (WhatsApp and SMS) by any instance's sweep (0: no sweep). */
  WEBHOOK_HANDON_SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(5 * 60_000),
  /** How long the small record of a refused webhook body (hash, size, first bytes) is kept in Redis. */
  WEBHOOK_REJECTED_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  /**
   * `/healthz` answers from checks at most this old (ms); an older report, up to ten times this, is
   * answered while the next check runs (api/services/health-probe.service.ts). 0: every call checks live.
   */
  HEALTHZ_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Broker API requests per signed-in user (or the machine token) per minute before 429. */
  API_USER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Web chat turns per client address per minute (on top of the per-session limit). */
  WEBCHAT_TURNS_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Web chat number checks: codes sent per number per hour, how long a code lives, wrong tries allowed. */
  WEBCHAT_VERIFY_SENDS_PER_HOUR: z.coerce.number().int().min(1).default(3),
  WEBCHAT_VERIFY_CODE_TTL_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
  WEBCHAT_VERIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
};
