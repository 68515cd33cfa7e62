import { GraphLeadSchema, type GraphLead } from '../../domain/leadgen.mapper';
import { readMetaError, type MetaErrorInfo } from '../meta/meta-error';

// Graph API client for Lead Ads retrieval. Errors come back as MetaGraphError with a `kind`
// the activity can act on: auth → alert ops and retry later, not_found → give up on this
// leadgen_id, rate_limited / transient → retry with backoff, invalid → give up and log.

export type MetaGraphErrorKind = 'auth' | 'not_found' | 'rate_limited' | 'transient' | 'invalid';

export class MetaGraphError extends Error {
  override readonly name = 'MetaGraphError';
  readonly kind: MetaGraphErrorKind;
  /** Worth retrying later (auth too: once ops renew the token the same call succeeds). */
  readonly retryable: boolean;
  readonly httpStatus: number | undefined;
  readonly meta: MetaErrorInfo | undefined;

  constructor(kind: MetaGraphErrorKind, message: string, httpStatus?: number, meta?: MetaErrorInfo, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.retryable = kind !== 'not_found' && kind !== 'invalid';
    this.httpStatus = httpStatus;
    this.meta = meta;
  }
}

// https://developers.facebook.com/docs/graph-api/overview/rate-limiting : 4 app, 17 user,
// 32 page, 613 custom; 80000-80014 business use case limits.
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const isBucLimit = (code: number) => code >= 80000 && code <= 80014;

export function classifyGraphError(httpStatus: number, meta: MetaErrorInfo | undefined): MetaGraphErrorKind {
  const code = meta?.code;
  if (code === 190 || code === 102 || (meta?.type === 'OAuthException' && httpStatus === 401)) return 'auth';
  // Permission errors (10, 200-299) need a human too: same handling as an expired token.
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) return 'auth';
  if (code === 100 && meta?.subcode === 33) return 'not_found';
  if (code !== undefined && (RATE_LIMIT_CODES.has(code) || isBucLimit(code))) return 'rate_limited';
  if (httpStatus === 429) return 'rate_limited';
  if (code === 1 || code === 2 || meta?.isTransient === true) return 'transient';
  if (httpStatus >= 500) return 'transient';
  if (httpStatus === 404) return 'not_found';
  if (httpStatus === 401 || httpStatus === 403) return 'auth';
  return 'invalid';
}

export interface MetaGraphClientConfig {
  /** e.g. "https://graph.facebook.com" (no trailing version). */
  baseUrl: string;
  token: string;
  /** e.g. "v23.0". */
  apiVersion: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_LEAD_FIELDS = ['id', 'created_time', 'field_data', 'ad_id', 'form_id', 'campaign_id', 'is_organic', 'platform'] as const;

export interface MetaGraphClient {
  getLead(leadgenId: string, options?: { fields?: readonly string[] }): Promise<GraphLead>;
}

export function createMetaGraphClient(config: MetaGraphClientConfig): MetaGraphClient {
  const doFetch = config.fetch ?? fetch;
  const base = config.baseUrl.replace(/\/+$/, '');
  const timeoutMs = config.timeoutMs ?? 10_000;

  return {
    async getLead(leadgenId, options) {
      if (!/^\d+$/.test(leadgenId)) throw new MetaGraphError('invalid', `leadgen id must be numeric, got ${JSON.stringify(leadgenId)}`);
      const fields = (options?.fields ?? DEFAULT_LEAD_FIELDS).join(',');
      const url = `${base}/${encodeURIComponent(config.apiVersion)}/${leadgenId}?fields=${encodeURIComponent(fields)}`;
      const body = await requestJson(doFetch, url, { method: 'GET', headers: { authorization: `Bearer ${config.token}`, accept: 'application/json' } }, timeoutMs);
      const lead = GraphLeadSchema.safeParse(body);
      if (!lead.success) {
        throw new MetaGraphError('invalid', `unexpected lead payload: ${lead.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 200);
      }
      return lead.data;
    },
  };
}

async function requestJson(doFetch: typeof fetch, url: string, init: RequestInit, timeoutMs: number): Promise<unknown> {
  let res: Response;
  try {
    res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (cause) {
    const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
    throw new MetaGraphError('transient', timedOut ? `Graph API timed out after ${timeoutMs} ms` : 'Graph API unreachable', undefined, undefined, { cause });
  }
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const meta = readMetaError(body);
    const kind = classifyGraphError(res.status, meta);
    throw new MetaGraphError(kind, `Graph API ${res.status}${meta?.code !== undefined ? ` (#${meta.code}${meta.subcode !== undefined ? `/${meta.subcode}` : ''})` : ''}: ${meta?.message ?? (text.slice(0, 200) || 'no body')}`, res.status, meta);
  }
  if (body === undefined) throw new MetaGraphError(res.status >= 500 ? 'transient' : 'invalid', 'Graph API returned a non-JSON body', res.status);
  return body;
}
