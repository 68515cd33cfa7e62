import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, startHttpFake } from './http-fake';

// A local stand-in for api.twilio.com speaking the one call Leadline makes, as documented
// (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource):
//   POST /2010-04-01/Accounts/{AccountSid}/Messages.json
//   HTTP basic auth (AccountSid:AuthToken), form-encoded body (To, From | MessagingServiceSid,
//   Body | MediaUrl, StatusCallback), 201 with the Message resource as JSON.
// Errors use Twilio's REST error body: { code, message, more_info, status }.

export interface TwilioRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The form parameters (MediaUrl may repeat: every value is kept in `all`). */
  params: Record<string, string>;
  all: Array<[string, string]>;
}

export interface TwilioFailure {
  status: number;
  code: number;
  message: string;
}

export interface FakeTwilioServer {
  baseUrl: string;
  requests: TwilioRequest[];
  /** Message creations only. */
  sends(): TwilioRequest[];
  /** The next `times` message creations fail with this Twilio error (or the connection drops). */
  failNext(failure: TwilioFailure | { drop: true }, times?: number): void;
  close(): Promise<void>;
}

export const twilioErrorBody = (f: TwilioFailure) => ({ code: f.code, message: f.message, more_info: `https://www.twilio.com/docs/errors/${f.code}`, status: f.status });

export async function startFakeTwilioServer(options: { accountSid: string; authToken: string }): Promise<FakeTwilioServer> {
  const requests: TwilioRequest[] = [];
  const failures: Array<{ failure: TwilioFailure | { drop: true }; remaining: number }> = [];
  const messagesPath = `/2010-04-01/Accounts/${options.accountSid}/Messages.json`;
  const expectedAuth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;

  function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    const rawBody = raw.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const all = [...new URLSearchParams(rawBody)];
    const record: TwilioRequest = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, params: Object.fromEntries(all), all };
    requests.push(record);

    if (req.headers.authorization !== expectedAuth) return json(res, 401, twilioErrorBody({ status: 401, code: 20003, message: 'Authenticate' }));
    if (record.method !== 'POST' || url.pathname !== messagesPath) {
      return json(res, 404, twilioErrorBody({ status: 404, code: 20404, message: `The requested resource ${url.pathname} was not found` }));
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return json(res, 400, twilioErrorBody({ status: 400, code: 21600, message: 'Unsupported content type' }));
    }
    const failure = failures[0];
    if (failure) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) failures.shift();
      if ('drop' in failure.failure) {
        req.socket.destroy();
        return;
      }
      return json(res, failure.failure.status, twilioErrorBody(failure.failure));
    }
    const p = record.params;
    if (!p.To) return json(res, 400, twilioErrorBody({ status: 400, code: 21604, message: "A 'To' phone number is required." }));
    if (!p.From && !p.MessagingServiceSid) return json(res, 400, twilioErrorBody({ status: 400, code: 21603, message: "A 'From' phone number is required." }));
    if (!p.Body && !p.MediaUrl) return json(res, 400, twilioErrorBody({ status: 400, code: 21602, message: 'Message body is required.' }));
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = new Date().toUTCString();
    const media = all.filter(([k]) => k === 'MediaUrl').length;
    return json(res, 201, {
      account_sid: options.accountSid,
      api_version: '2010-04-01',
      body: p.Body ?? '',
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: p.From ?? null,
      messaging_service_sid: p.MessagingServiceSid ?? null,
      num_media: String(media),
      num_segments: String(Math.max(1, Math.ceil((p.Body ?? '').length / 153))),
      price: null,
      price_unit: 'USD',
      sid,
      status: p.MessagingServiceSid ? 'accepted' : 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${options.accountSid}/Messages/${sid}/Media.json` },
      to: p.To,
      uri: `/2010-04-01/Accounts/${options.accountSid}/Messages/${sid}.json`,
    });
  }

  function json(res: ServerResponse, status: number, payload: unknown) {
    sendJson(res, status, payload, { 'content-type': 'application/json; charset=utf-8' });
  }

  const server = await startHttpFake(handle);

  return {
    baseUrl: server.baseUrl,
    requests,
    sends: () => requests.filter((r) => r.method === 'POST' && r.path === messagesPath),
    failNext(failure, times = 1) {
      failures.push({ failure, remaining: times });
    },
    close: server.close,
  };
}
