import { z } from 'zod';
import { parseMasterKeyList } from './master-key.parser';

// Who may call and what is kept secret: machine tokens, sign-in, mail, data rights and payload encryption.
export const securityEnv = {
  // ---- Data rights (#12)
  /** A lead nobody has heard from for this long is erased by its own workflow (0: never). */
  RETENTION_INACTIVITY_DAYS: z.coerce.number().min(0).default(730),
  /**
   * Key of the HMAC that turns an erased person's phone or e-mail into a suppression entry (the
   * only trace of an opt-out that outlives erasure). Required in production; keep it stable.
   */
  SUPPRESSION_HMAC_KEY: z.string().min(16, 'at least 16 characters').optional(),
  /** Bearer token for machine clients of the broker API (never the web app, which forwards its user's session). Required in production. */
  API_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  // ---- Sign-in (#11)
  /** The web app's public address: links in invitation and reset e-mails, and the origin forms must come from. */
  WEB_URL: z.string().url().default('http://127.0.0.1:3001'),
  /** A signed-in session lasts this long (absolute, not sliding). */
  SESSION_TTL_HOURS: z.coerce.number().min(0.01).max(24 * 30).default(12),
  /** Failed sign-ins per account, and per client address, before sign-in is refused for LOGIN_BLOCK_MINUTES. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  LOGIN_BLOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  /** Outgoing mail (invitations, password resets, and the worker's handoff alerts); `make dev` runs a local maildev server at the default. */
  SMTP_URL: z.string().url().default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().default('Leadline <no-reply@example.com>'),
  /**
   * The hour (0-23, in DEFAULT_TIME_ZONE, the brokerage's) the worker's Temporal Schedule mails
   * managers and admins the digest of the last 24 h's SLA misses (ADR 016).
   */
  SLA_DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  // ---- Payload encryption (#12): every Temporal payload is AES-256-GCM encrypted with a data
  // key per lead, and the data keys are wrapped with a master key from here.
  /**
   * Master keys as a comma-separated `id:base64` list (each key 32 random bytes, e.g.
   * `openssl rand -base64 32`). Keep retired keys listed until no data key is wrapped with them.
   * Unset outside production: a key generated once under .data/ is used.
   */
  ENCRYPTION_MASTER_KEYS: z
    .string()
    .refine((v) => parseMasterKeyList(v) !== null, 'a comma-separated list of id:base64 entries, unique ids ([A-Za-z0-9._-]), each key 32 bytes')
    .optional(),
  /** The master key new data keys are wrapped with (an id from ENCRYPTION_MASTER_KEYS; optional when it lists one key). */
  ENCRYPTION_ACTIVE_KEY_ID: z.string().optional(),
  /** Unwrapped data keys kept in memory per process, and for how long (a destroyed key stays usable in other processes at most this long). */
  ENCRYPTION_KEY_CACHE_SIZE: z.coerce.number().int().min(1).default(10_000),
  ENCRYPTION_KEY_CACHE_TTL_MS: z.coerce.number().int().min(1000).default(5 * 60_000),
  /** Bearer token for the codec endpoint (/codec/decode) ops use to read histories; unset: decoding is refused. */
  CODEC_AUTH_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
};
