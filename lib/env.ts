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
  API_PORT: z.coerce.number().int().positive().default(3000),
  API_URL: z.string().url().default('http://127.0.0.1:3000'),
  WEB_PORT: z.coerce.number().int().positive().default(3001),
  /** Default market for contacts whose channel does not say (decides currency, phone region). */
  DEFAULT_MARKET: z.enum(['AE', 'GB', 'US', 'IN']).default('AE'),
  DEFAULT_TIME_ZONE: z.string().default('Asia/Dubai'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  QDRANT_URL: z.string().url().optional(),
  WHATSAPP_APP_SECRET: z.string().optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().optional(),
  WHATSAPP_TOKEN: z.string().optional(),
  META_GRAPH_URL: z.string().url().default('https://graph.facebook.com'),
  META_API_VERSION: z.string().default('v23.0'),
  /** Turns the agent waits before replying, so a burst of messages becomes one turn. */
  COALESCE_WINDOW_MS: z.coerce.number().int().min(0).default(1500),
  /** Test hook: slows the agent turn so a test can kill the worker mid-turn. Never set in prod. */
  AGENT_TURN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  TRUST_PROXY: bool.default(false),
});

export type Env = z.infer<typeof EnvSchema>;

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
