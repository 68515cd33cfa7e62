import { z } from 'zod';
import { envFlag } from './env-flag.schema';

// The channels leads write on: WhatsApp and Lead Ads (Meta), their media, SMS (Twilio) and web chat.
export const channelsEnv = {
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
  MEDIA_S3_FORCE_PATH_STYLE: envFlag.default(true),
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
};
