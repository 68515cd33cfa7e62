import { z } from 'zod';
import { envFlag } from './env-flag.schema';

// Where the processes find each other and how they run: database, Redis, Temporal (and a
// real cluster's TLS), worker tuning, ports, and the market defaults.
export const runtimeEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/leadline'),
  /**
   * Connections each process keeps to Postgres (the pg pool's max). The API's webhook hand-on uses
   * at most WEBHOOK_HANDON_LANES of them, so a burst's background intake never holds the ones an
   * ack, `/healthz` or a broker's page is waiting for (#13).
   */
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(500).default(10),
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
  TEMPORAL_TLS: envFlag.optional(),
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
  /**
   * Workflows kept in the worker's sticky cache (bounds its memory: about 4 MB each, the
   * workflow's own copy of every module the bundle cannot share); evicted ones replay their
   * short history on their next task. 100, measured at 1,000 open leads (docs/scale.md): 400
   * cost 0.8 GB more and a 12 s reply p99 (garbage collection), for no faster nudges.
   */
  TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(100),
  /** Workflow and activity tasks run at once by one worker. */
  TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(40),
  TEMPORAL_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(100),
  /** Long polls held open for workflow and activity tasks. */
  TEMPORAL_WORKFLOW_TASK_POLLERS: z.coerce.number().int().min(2).default(8),
  TEMPORAL_ACTIVITY_TASK_POLLERS: z.coerce.number().int().min(1).default(8),
  /**
   * New leads first (ADR 020): a lead's workflow starts at task-queue priority key 1 and goes back
   * to the default after its first turn, so nudges falling due together do not queue ahead of a
   * new lead's first reply. Costs one history write per new lead: on one 2-core machine shared
   * with the dev server, 15-25% of the first-message throughput at saturation (docs/scale.md).
   */
  NEW_LEAD_PRIORITY: envFlag.default(true),
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
};
