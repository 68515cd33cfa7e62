import { z } from 'zod';

// One schema for every process (api, worker, web server, scripts). It fails fast at start-up
// with every problem listed, rather than at the first request that touches a bad value.
const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => v === 'true' || v === '1');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/leadline'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379/0'),
  /** Prefix for every Redis key, so several deployments (or test runs) can share one server. */
  REDIS_KEY_PREFIX: z.string().default('leadline:'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('leadline'),
  TEMPORAL_UI_URL: z.string().url().default('http://127.0.0.1:8233'),
  /** Use the pre-built workflow bundle (production) instead of bundling at start. */
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  // ---- Reaching a real cluster (Temporal Cloud or self-hosted, #13). Read by temporal/connection.options.ts.
  /** TLS to the frontend. Implied by a client certificate, a CA or an API key; set false only for a plaintext dev server. */
  TEMPORAL_TLS: bool.optional(),
  /** CA that signed the server's certificate: a file path or the PEM itself. Unset: the system's roots (Temporal Cloud needs none). */
  TEMPORAL_TLS_CA: z.string().optional(),
  /** mTLS client certificate and its private key (paths or PEM values); both or neither. */
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  /** Name checked against the server's certificate when it differs from TEMPORAL_ADDRESS's host (a proxy in front). */
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  /** Temporal Cloud API key (sent as the Authorization bearer); implies TLS. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  // ---- Worker tuning (#13): defaults sized for a 2-core machine; raise them with the cores.
  /** Workflows kept in the worker's sticky cache (bounds its memory: roughly 1-2 MB each); evicted ones replay on their next task. */
  TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(400),
  /** Workflow and activity tasks run at once by one worker. */
  TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(40),
  TEMPORAL_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(100),
  /** Long polls held open for workflow and activity tasks. */
  TEMPORAL_WORKFLOW_TASK_POLLERS: z.coerce.number().int().min(2).default(8),
  TEMPORAL_ACTIVITY_TASK_POLLERS: z.coerce.number().int().min(1).default(8),
  /** On SIGTERM running activities get this long to finish before they are cancelled. */
  TEMPORAL_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  /**
   * Worker deployment versioning (ADR 013): the deployment this worker belongs to and its build
   * id (e.g. the image's git sha). Both or neither; unset: unversioned.
   */
  TEMPORAL_DEPLOYMENT_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'letters, digits, . _ -').optional(),
  TEMPORAL_BUILD_ID: z.string().regex(/^[A-Za-z0-9._+-]{1,200}$/, 'letters, digits, . _ + -').optional(),
  /** The API's SIGTERM drain: in-flight requests get this long before connections are closed. */
  API_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  API_PORT: z.coerce.number().int().positive().default(3000),
  /** Address the API listens on: 127.0.0.1 unless NODE_ENV=production (then 0.0.0.0). See apiHost(). */
  API_HOST: z.string().min(1).optional(),
  API_URL: z.string().url().default('http://127.0.0.1:3000'),
  WEB_PORT: z.coerce.number().int().positive().default(3001),
  /** Largest request body the web server reads (web/server.ts, and `react-router dev` via vite.config.ts); larger ones get 413 before React Router sees them. */
  WEB_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Default market for contacts whose channel does not say (decides currency, phone region). */
  DEFAULT_MARKET: z.enum(['AE', 'GB', 'US', 'IN']).default('AE'),
  DEFAULT_TIME_ZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as Asia/Dubai')
    .default('Asia/Dubai'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  /** Vector index on a Qdrant server; unset: the embedded index under VECTOR_DIR. */
  QDRANT_URL: z.string().url().optional(),
  QDRANT_API_KEY: z.string().optional(),
  /** Where the embedded vector index keeps its files (default .data/vector). */
  VECTOR_DIR: z.string().optional(),
  /** auto: OpenAI embeddings when OPENAI_API_KEY is set, else the offline embedder. */
  EMBEDDINGS: z.enum(['auto', 'openai', 'offline']).default('auto'),
  OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  /** Required for models whose size is not known; shortens text-embedding-3-* vectors when set. */
  OPENAI_EMBEDDING_DIMENSIONS: z.coerce.number().int().min(8).max(8192).optional(),
  WHATSAPP_APP_SECRET: z.string().optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().optional(),
  WHATSAPP_TOKEN: z.string().optional(),
  META_GRAPH_URL: z.string().url().default('https://graph.facebook.com'),
  META_API_VERSION: z.string().default('v23.0'),
  /** Business number used for WhatsApp replies to leads that never wrote to us there (e.g. Lead Ads). */
  WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d+$/).optional(),
  /** Approved template sent instead of free text outside the 24-hour customer-service window. */
  WHATSAPP_REENGAGE_TEMPLATE: z.string().optional(),
  WHATSAPP_REENGAGE_TEMPLATE_LANGUAGE: z.string().default('en'),
  /** Lead Ads webhooks may come from another Meta app than WhatsApp; both fall back to the WHATSAPP_* values. */
  LEADADS_APP_SECRET: z.string().optional(),
  LEADADS_VERIFY_TOKEN: z.string().optional(),
  /** Page access token with leads_retrieval, used to fetch Lead Ads answers from the Graph API. */
  META_LEADS_TOKEN: z.string().optional(),
  /** Wait before retrying a Graph fetch that failed on an expired or missing token (ops must renew it). */
  LEADADS_AUTH_RETRY_DELAY_MS: z.coerce.number().int().min(1).default(15 * 60_000),
  /**
   * Attempts to fetch a Lead Ads lead the Graph API calls unknown (code 100/33, which also means
   * missing permissions) before it fails visibly; the waits double from LEADADS_NOT_FOUND_RETRY_DELAY_MS.
   */
  LEADADS_NOT_FOUND_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  LEADADS_NOT_FOUND_RETRY_DELAY_MS: z.coerce.number().int().min(1).default(60_000),
  // ---- Media leads send (photos, videos, voice notes, documents), fetched from the Graph API.
  /** Where media is stored on local disk when no bucket is configured (default .data/media). */
  MEDIA_DIR: z.string().optional(),
  /** Largest file kept; larger ones are refused (and alerted) before download. */
  MEDIA_MAX_BYTES: z.coerce.number().int().min(1).default(25 * 1024 * 1024),
  /** S3-compatible bucket for media; when set, media goes there instead of the disk. */
  MEDIA_S3_BUCKET: z.string().optional(),
  /** Endpoint of an S3-compatible store (MinIO, R2, …); unset for AWS S3. */
  MEDIA_S3_ENDPOINT: z.string().url().optional(),
  MEDIA_S3_REGION: z.string().default('us-east-1'),
  /** Credentials; unset: the AWS SDK's default chain (instance role, AWS_* variables). */
  MEDIA_S3_ACCESS_KEY_ID: z.string().optional(),
  MEDIA_S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Path-style URLs (bucket in the path), which most S3-compatible stores need. */
  MEDIA_S3_FORCE_PATH_STYLE: bool.default(true),
  // ---- SMS through Twilio. SMS is on when an account SID or a sender is set.
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'AC followed by 32 hex digits').optional(),
  /** Signs every webhook Twilio sends (X-Twilio-Signature) and authenticates sends. Required in production when SMS is on. */
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  /** Our Twilio number (E.164) replies leave from; or a Messaging Service that picks one. */
  TWILIO_FROM_NUMBER: z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +15017122661').optional(),
  TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'MG followed by 32 hex digits').optional(),
  /** Messages API host (default https://api.twilio.com); tests point it at a local fake. */
  TWILIO_API_URL: z.string().url().optional(),
  /** Public base URL Twilio calls (behind a proxy the request's own origin is not what Twilio signed); also the status callback base. */
  TWILIO_WEBHOOK_BASE_URL: z.string().url().optional(),
  /** Web chat turns allowed per session per window before 429. */
  WEBCHAT_RATE_LIMIT_POINTS: z.coerce.number().int().min(1).default(10),
  WEBCHAT_RATE_LIMIT_WINDOW_S: z.coerce.number().int().min(1).default(60),
  /** New web chat sessions per client address per hour (the web app's server counts as one address unless TRUST_PROXY). */
  WEBCHAT_SESSIONS_PER_HOUR: z.coerce.number().int().min(1).default(1000),
  WEBCHAT_REPLY_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  WEBCHAT_SESSION_TTL_DAYS: z.coerce.number().int().min(1).default(30),
  /** Turns the agent waits before replying, so a burst of messages becomes one turn. */
  COALESCE_WINDOW_MS: z.coerce.number().int().min(0).default(1500),
  /** Test hook: slows the agent turn so a test can kill the worker mid-turn. Never set in prod. */
  AGENT_TURN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  TRUST_PROXY: bool.default(false),
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
  /** Senders handed on side by side, the attempts (doubling from 250 ms to WEBHOOK_HANDON_MAX_DELAY_MS) before an event is marked failed and alerted. */
  WEBHOOK_HANDON_LANES: z.coerce.number().int().min(1).max(256).default(16),
  WEBHOOK_HANDON_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  WEBHOOK_HANDON_MAX_DELAY_MS: z.coerce.number().int().min(10).default(30_000),
  /** Stored events still unprocessed this long (their API instance died) are handed to a batch-intake workflow by any instance's sweep (0: no sweep). */
  WEBHOOK_HANDON_SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(5 * 60_000),
  /** How long the small record of a refused webhook body (hash, size, first bytes) is kept in Redis. */
  WEBHOOK_REJECTED_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  /** Broker API requests per signed-in user (or the machine token) per minute before 429. */
  API_USER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Web chat turns per client address per minute (on top of the per-session limit). */
  WEBCHAT_TURNS_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Web chat number checks: codes sent per number per hour, how long a code lives, wrong tries allowed. */
  WEBCHAT_VERIFY_SENDS_PER_HOUR: z.coerce.number().int().min(1).default(3),
  WEBCHAT_VERIFY_CODE_TTL_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
  WEBCHAT_VERIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  // ---- Data rights (#12)
  /** A lead nobody has heard from for this long is erased by its own workflow (0: never). */
  RETENTION_INACTIVITY_DAYS: z.coerce.number().min(0).default(730),
  /**
   * Key of the HMAC that turns an erased person's phone or e-mail into a suppression entry (the
   * only trace of an opt-out that outlives erasure). Required in production; keep it stable.
   */
  SUPPRESSION_HMAC_KEY: z.string().min(16, 'at least 16 characters').optional(),
  // ---- Lead lifecycle (#4): every duration the lead workflow waits on. Read by the worker and
  // handed to each lead's workflow once, so workflow code never reads configuration itself.
  /** A named broker's time to claim a handed-off lead, and to answer a lead who wrote to them. */
  HANDOFF_SLA_MS: z.coerce.number().int().min(1000).default(5 * 60_000),
  /** Missed claims before a lead goes to the shared pool (and an alert is raised). */
  HANDOFF_MAX_ESCALATIONS: z.coerce.number().int().min(1).max(20).default(3),
  /** Follow-up offsets after our last answer, strictly increasing, comma-separated ms. */
  FOLLOW_UP_CADENCE_MS: z
    .string()
    .default([10 * 60_000, 86_400_000, 3 * 86_400_000, 7 * 86_400_000].join(','))
    .transform((v, ctx) => {
      const list = v.split(',').map((x) => Number(x.trim()));
      if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1000) || list.some((n, i) => i > 0 && n <= list[i - 1]!)) {
        ctx.addIssue({ code: 'custom', message: 'a comma-separated list of strictly increasing integers (ms, each at least 1000)' });
        return z.NEVER;
      }
      return list;
    }),
  /** After the cadence: one nurture nudge per interval, up to FOLLOW_UP_NURTURE_UNTIL_MS after our last answer. */
  FOLLOW_UP_NURTURE_EVERY_MS: z.coerce.number().int().min(0).default(30 * 86_400_000),
  FOLLOW_UP_NURTURE_UNTIL_MS: z.coerce.number().int().min(0).default(90 * 86_400_000),
  /** Most a lead's nudge is moved later (per lead, capped at a quarter of its gap) so a campaign's nudges do not all fall due at once (0: off). */
  FOLLOW_UP_JITTER_MS: z.coerce.number().int().min(0).default(15 * 60_000),
  /** No nudges between these local times (the lead's time zone); wraps midnight. Equal times: off. */
  QUIET_HOURS: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM-HH:MM').default('21:00-08:00'),
  /** Continue-as-new after this many history events as well as when the server suggests it (0: only then). */
  LEAD_CONTINUE_AS_NEW_AFTER_EVENTS: z.coerce.number().int().refine((n) => n === 0 || n >= 50, '0 or at least 50').default(0),
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
}).superRefine((env, ctx) => {
  // The broker API serves personal data: production never runs it open.
  if (env.NODE_ENV === 'production' && !env.API_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['API_TOKEN'], message: 'is required when NODE_ENV=production' });
  }
  // Workflow histories hold whole conversations: production never encrypts them with a key kept on local disk.
  if (env.NODE_ENV === 'production' && !env.ENCRYPTION_MASTER_KEYS) {
    ctx.addIssue({ code: 'custom', path: ['ENCRYPTION_MASTER_KEYS'], message: 'is required when NODE_ENV=production' });
  }
  const keys = env.ENCRYPTION_MASTER_KEYS ? parseMasterKeyList(env.ENCRYPTION_MASTER_KEYS) : null;
  if (keys && env.ENCRYPTION_ACTIVE_KEY_ID && !keys.some((k) => k.id === env.ENCRYPTION_ACTIVE_KEY_ID)) {
    ctx.addIssue({ code: 'custom', path: ['ENCRYPTION_ACTIVE_KEY_ID'], message: 'is not one of the ids in ENCRYPTION_MASTER_KEYS' });
  }
  if (keys && keys.length > 1 && !env.ENCRYPTION_ACTIVE_KEY_ID) {
    ctx.addIssue({ code: 'custom', path: ['ENCRYPTION_ACTIVE_KEY_ID'], message: 'is required when ENCRYPTION_MASTER_KEYS lists several keys' });
  }
  // Without the app secret anyone could post WhatsApp or Lead Ads webhooks as Meta.
  if (env.NODE_ENV === 'production' && !env.WHATSAPP_APP_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['WHATSAPP_APP_SECRET'], message: 'is required when NODE_ENV=production (it signs WhatsApp and, unless LEADADS_APP_SECRET is set, Lead Ads webhooks)' });
  }
  if (env.NODE_ENV === 'production' && !env.SUPPRESSION_HMAC_KEY) {
    ctx.addIssue({ code: 'custom', path: ['SUPPRESSION_HMAC_KEY'], message: 'is required when NODE_ENV=production' });
  }
  // Without the token nobody can tell Twilio's webhooks from forged ones.
  const smsOn = Boolean(env.TWILIO_ACCOUNT_SID || env.TWILIO_FROM_NUMBER || env.TWILIO_MESSAGING_SERVICE_SID);
  if (env.NODE_ENV === 'production' && smsOn && !env.TWILIO_AUTH_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['TWILIO_AUTH_TOKEN'], message: 'is required when NODE_ENV=production and SMS is configured' });
  }
  if (env.TWILIO_ACCOUNT_SID && !env.TWILIO_FROM_NUMBER && !env.TWILIO_MESSAGING_SERVICE_SID) {
    ctx.addIssue({ code: 'custom', path: ['TWILIO_FROM_NUMBER'], message: 'TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID is required with TWILIO_ACCOUNT_SID' });
  }
  if ((env.TWILIO_FROM_NUMBER || env.TWILIO_MESSAGING_SERVICE_SID) && !env.TWILIO_ACCOUNT_SID) {
    ctx.addIssue({ code: 'custom', path: ['TWILIO_ACCOUNT_SID'], message: 'is required to send SMS' });
  }
  // Temporal: a client certificate without its key (or the reverse) cannot connect, and an API key over plaintext leaks it.
  if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
    ctx.addIssue({ code: 'custom', path: [env.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'], message: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (mTLS)' });
  }
  if (env.TEMPORAL_TLS === false && (env.TEMPORAL_API_KEY || env.TEMPORAL_TLS_CERT || env.TEMPORAL_TLS_CA)) {
    ctx.addIssue({ code: 'custom', path: ['TEMPORAL_TLS'], message: 'cannot be false with TEMPORAL_API_KEY or TEMPORAL_TLS_* set (the key or certificate would travel in clear)' });
  }
  if (Boolean(env.TEMPORAL_DEPLOYMENT_NAME) !== Boolean(env.TEMPORAL_BUILD_ID)) {
    ctx.addIssue({ code: 'custom', path: [env.TEMPORAL_DEPLOYMENT_NAME ? 'TEMPORAL_BUILD_ID' : 'TEMPORAL_DEPLOYMENT_NAME'], message: 'TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_BUILD_ID go together (worker versioning)' });
  }
  if (env.TEMPORAL_WORKFLOW_TASK_POLLERS > env.TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS) {
    ctx.addIssue({ code: 'custom', path: ['TEMPORAL_WORKFLOW_TASK_POLLERS'], message: 'cannot exceed TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS' });
  }
  if (env.EMBEDDINGS === 'openai' && !env.OPENAI_API_KEY) {
    ctx.addIssue({ code: 'custom', path: ['EMBEDDINGS'], message: 'openai needs OPENAI_API_KEY' });
  }
});

export type Env = z.infer<typeof EnvSchema>;

/** Where the API listens: API_HOST, else every interface in production and only loopback elsewhere. */
export function apiHost(env: Pick<Env, 'API_HOST' | 'NODE_ENV'>): string {
  return env.API_HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');
}

/** Outside production a fixed, public key: suppression entries from development mean nothing elsewhere. */
const DEV_SUPPRESSION_KEY = 'leadline-development-suppression-key';
export function suppressionKey(env: Pick<Env, 'SUPPRESSION_HMAC_KEY'>): string {
  return env.SUPPRESSION_HMAC_KEY ?? DEV_SUPPRESSION_KEY;
}

export interface MasterKey {
  id: string;
  key: Buffer;
}

/** `id:base64,id:base64` → keys, or null when any entry is malformed, repeated or not 32 bytes. */
export function parseMasterKeyList(value: string): MasterKey[] | null {
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  const keys: MasterKey[] = [];
  for (const entry of entries) {
    const sep = entry.indexOf(':');
    const id = entry.slice(0, sep);
    const b64 = entry.slice(sep + 1);
    if (sep < 1 || !/^[A-Za-z0-9._-]{1,64}$/.test(id) || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32 || keys.some((k) => k.id === id)) return null;
    keys.push({ id, key });
  }
  return keys;
}

export class EnvError extends Error {
  override name = 'EnvError';
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
