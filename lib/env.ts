import { z } from 'zod';
import { agentEnv } from './env-agent.schema';
import { channelsEnv } from './env-channels.schema';
import { edgeEnv } from './env-edge.schema';
import { lifecycleEnv } from './env-lifecycle.schema';
import { runtimeEnv } from './env-runtime.schema';
import { securityEnv } from './env-security.schema';
import { parseMasterKeyList } from './master-key.parser';

// One schema for every process (api, worker, web server, scripts). It fails fast at start-up
// with every problem listed, rather than at the first request that touches a bad value. Each
// area declares its variables in its own lib/env-*.schema.ts; the rules that span areas are here.
const EnvSchema = z.object({
  ...runtimeEnv,
  ...agentEnv,
  ...channelsEnv,
  ...edgeEnv,
  ...lifecycleEnv,
  ...securityEnv,
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
  if (env.WEBHOOK_HANDON_LANES > env.DATABASE_POOL_MAX - 2) {
    ctx.addIssue({ code: 'custom', path: ['WEBHOOK_HANDON_LANES'], message: `cannot exceed DATABASE_POOL_MAX - 2 (${env.DATABASE_POOL_MAX - 2}): acks and pages need connections of their own` });
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

