import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { SendIdempotencyStore } from '../../lib/idempotency.store';

// Twilio's Messages API through the official client. The host can be rebased (TWILIO_API_URL)
// so tests, a regional edge or a proxy get the same client and the same requests; the library
// lets us pass our own RequestClient, which rewrites only the origin of each request.

export type SmsErrorReason = 'network' | 'rate_limited' | 'server' | 'auth' | 'opted_out' | 'recipient' | 'invalid_request' | 'rejected';

export class SmsSendError extends Error {
  override readonly name = 'SmsSendError';
  readonly retryable: boolean;
  constructor(
    readonly reason: SmsErrorReason,
    message: string,
    readonly httpStatus?: number,
    readonly twilioCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.retryable = reason === 'network' || reason === 'rate_limited' || reason === 'server';
  }
}

// https://www.twilio.com/docs/api/errors
const AUTH_CODES = new Set([20003, 20005, 20008, 20403]);
const RECIPIENT_CODES = new Set([21211, 21408, 21612, 21614, 21635, 30003, 30005, 30006]);

/** Twilio's error code wins over the HTTP status; 429 and 5xx are worth retrying. */
export function classifyTwilioError(httpStatus: number, code: number | undefined): SmsErrorReason {
  if (code === 21610) return 'opted_out';
  if (code === 20429 || httpStatus === 429) return 'rate_limited';
  if (httpStatus >= 500) return 'server';
  if ((code !== undefined && AUTH_CODES.has(code)) || httpStatus === 401) return 'auth';
  if (code !== undefined && RECIPIENT_CODES.has(code)) return 'recipient';
  if (httpStatus === 400) return 'invalid_request';
  return 'rejected';
}

export interface TwilioClientConfig {
  accountSid: string;
  authToken: string;
  /** e.g. "https://api.twilio.com" (the default) or a local fake. */
  apiUrl?: string;
  timeoutMs?: number;
  idempotencyStore: SendIdempotencyStore;
}

export interface SmsSendArgs {
  to: string;
  body?: string;
  mediaUrl?: string[];
  /** Exactly one sender: our number, or a Messaging Service that picks one. */
  from: { number: string } | { messagingServiceSid: string };
  statusCallback?: string;
  idempotencyKey: string;
}

export interface SmsClient {
  send(args: SmsSendArgs): Promise<{ sid: string; status: string }>;
}

/** Sends every request to `base` instead of the host the library chose (api.twilio.com). */
function rebasedRequestClient(base: URL, timeoutMs: number): twilio.RequestClient {
  class RebasedRequestClient extends twilio.RequestClient {
    override request<T>(opts: RequestClient.RequestOptions<T>) {
      const uri = new URL(opts.uri);
      const rebased = new URL(base.pathname.replace(/\/+$/, '') + uri.pathname + uri.search, base.origin);
      return super.request<T>({ ...opts, uri: rebased.toString() });
    }
  }
  return new RebasedRequestClient({ timeout: timeoutMs });
}

export function createTwilioClient(config: TwilioClientConfig): SmsClient {
  const timeoutMs = config.timeoutMs ?? 15_000;
  const httpClient = config.apiUrl ? rebasedRequestClient(new URL(config.apiUrl), timeoutMs) : new twilio.RequestClient({ timeout: timeoutMs });
  // autoRetry stays off: retries belong to the activity, which keeps one idempotency key.
  const client = twilio(config.accountSid, config.authToken, { httpClient, autoRetry: false });

  return {
    async send(args) {
      const known = await config.idempotencyStore.get(args.idempotencyKey);
      if (known) return { sid: known, status: 'sent' };
      let message;
      try {
        message = await client.messages.create({
          to: args.to,
          ...('number' in args.from ? { from: args.from.number } : { messagingServiceSid: args.from.messagingServiceSid }),
          ...(args.body !== undefined && { body: args.body }),
          ...(args.mediaUrl && args.mediaUrl.length > 0 && { mediaUrl: args.mediaUrl }),
          ...(args.statusCallback && { statusCallback: args.statusCallback }),
        });
      } catch (err) {
        if (err instanceof twilio.RestException) {
          const reason = classifyTwilioError(err.status, err.code);
          throw new SmsSendError(reason, `Twilio send failed ${err.status}${err.code !== undefined ? ` (#${err.code})` : ''}: ${err.message}`, err.status, err.code, { cause: err });
        }
        // No answer (refused, reset, timed out): Twilio may or may not have taken it; the retry
        // reuses the key, and the status callback shows what went out.
        throw new SmsSendError('network', `Twilio API unreachable: ${(err as Error).message}`, undefined, undefined, { cause: err });
      }
      await config.idempotencyStore.set(args.idempotencyKey, message.sid);
      return { sid: message.sid, status: message.status };
    },
  };
}
