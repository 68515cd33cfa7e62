import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, startHttpFake } from './http-fake';

// A local stand-in for graph.facebook.com speaking the calls Leadline makes:
//   GET  /{version}/{leadgen_id}?fields=...           → the stored lead (Graph lead retrieval)
//   POST /{version}/{phone_number_id}/messages        → Cloud API send response
//   GET  /{version}/{media_id}                        → the media URL, type, hash and size
//   GET  /whatsapp_business/attachments/?mid=…        → the media bytes (lookaside.fbsbx.com), with the token
// Every request is recorded; failures can be queued with Meta's own error bodies.

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  /** Parsed JSON body, undefined when empty or not JSON. */
  body: unknown;
}

export interface FailureMatch {
  method?: string;
  /** Substring of the path (e.g. "/messages" or a leadgen id). */
  pathIncludes?: string;
}

export type Failure =
  | { status: number; body: unknown }
  /** Close the connection without answering (a network error for the client). */
  | { drop: true };

export interface FakeMetaServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Leads by id, as GET /{leadgen_id} returns them (the body is served as stored). */
  setLead(leadgenId: string, lead: unknown): void;
  /** Media by id, as GET /{media_id} describes it and the attachment URL serves it. Returns its base64 SHA-256. */
  setMedia(mediaId: string, media: { body: Buffer; mimeType: string }): string;
  /** The next send answers 200 with this raw body (e.g. one that is not JSON). */
  answerNextSendWith(rawBody: string): void;
  /** The next `times` matching requests fail this way (FIFO across calls). */
  failNext(match: FailureMatch, failure: Failure, times?: number): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeMetaServerOptions {
  /** When set, requests without "Authorization: Bearer <token>" get Meta's 190 error. */
  token?: string;
}

const EXPIRED_TOKEN_BODY = {
  error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'FakeTrace190' },
};

function notFoundBody(id: string) {
  return {
    error: {
      message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
      fbtrace_id: 'FakeTrace100',
    },
  };
}

function invalidParamBody(message: string) {
  return { error: { message: `(#100) ${message}`, type: 'OAuthException', code: 100, fbtrace_id: 'FakeTraceParam' } };
}

export async function startFakeMetaServer(options: FakeMetaServerOptions = {}): Promise<FakeMetaServer> {
  const requests: RecordedRequest[] = [];
  const leads = new Map<string, unknown>();
  const media = new Map<string, { body: Buffer; mimeType: string; sha256: string }>();
  const rawSendAnswers: string[] = [];
  let baseUrl = '';
  const failures: Array<{ match: FailureMatch; failure: Failure; remaining: number }> = [];
  let sent = 0;

  function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    const rawBody = raw.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      rawBody,
      body,
    };
    requests.push(record);

    const idx = failures.findIndex(
      (f) => (!f.match.method || f.match.method === record.method) && (!f.match.pathIncludes || record.path.includes(f.match.pathIncludes)),
    );
    if (idx >= 0) {
      const f = failures[idx]!;
      f.remaining -= 1;
      if (f.remaining <= 0) failures.splice(idx, 1);
      if ('drop' in f.failure) {
        req.socket.destroy();
        return;
      }
      return json(res, f.failure.status, f.failure.body);
    }

    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      return json(res, 401, EXPIRED_TOKEN_BODY);
    }

    const parts = url.pathname.split('/').filter(Boolean);
    if (record.method === 'POST' && parts.length === 3 && parts[2] === 'messages') {
      const raw = rawSendAnswers.shift();
      if (raw !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        return res.end(raw);
      }
      return sendMessage(res, body);
    }
    if (record.method === 'GET' && url.pathname === '/whatsapp_business/attachments/') {
      const file = media.get(url.searchParams.get('mid') ?? '');
      if (!file) return json(res, 404, notFoundBody(url.searchParams.get('mid') ?? ''));
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.body.byteLength) });
      return res.end(file.body);
    }
    if (record.method === 'GET' && parts.length === 2 && media.has(parts[1]!)) {
      const file = media.get(parts[1]!)!;
      return json(res, 200, {
        messaging_product: 'whatsapp',
        url: `${baseUrl}/whatsapp_business/attachments/?mid=${parts[1]}&ext=${Date.now()}&hash=fake`,
        mime_type: file.mimeType,
        sha256: file.sha256,
        file_size: file.body.byteLength,
        id: parts[1],
      });
    }
    if (record.method === 'GET' && parts.length === 2) {
      const lead = leads.get(parts[1]!);
      if (lead === undefined) return json(res, 400, notFoundBody(parts[1]!));
      return json(res, 200, lead);
    }
    return json(res, 400, invalidParamBody(`Unknown path components: ${url.pathname}`));
  }

  function sendMessage(res: ServerResponse, body: unknown) {
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.messaging_product !== 'whatsapp') return json(res, 400, invalidParamBody('The parameter messaging_product is required.'));
    const to = typeof b.to === 'string' ? b.to : undefined;
    const recipient = typeof b.recipient === 'string' ? b.recipient : undefined;
    if (!to && !recipient) return json(res, 400, invalidParamBody('The parameter to is required.'));
    if (typeof b.type !== 'string' || b[b.type] === undefined) return json(res, 400, invalidParamBody('Param type is required.'));
    sent += 1;
    const wamid = `wamid.${Buffer.from(`FAKE-${sent}-${Date.now()}`).toString('base64')}`;
    // "to" wins when both are given, as on the real API.
    const contact = to ? { input: to, wa_id: to } : { input: recipient, user_id: recipient };
    return json(res, 200, { messaging_product: 'whatsapp', contacts: [contact], messages: [{ id: wamid }] });
  }

  function json(res: ServerResponse, status: number, payload: unknown) {
    sendJson(res, status, payload, { 'content-type': 'application/json; charset=UTF-8' });
  }

  const server = await startHttpFake(handle);
  baseUrl = server.baseUrl;

  return {
    baseUrl,
    requests,
    setLead(id, lead) {
      leads.set(id, lead);
    },
    setMedia(id, file) {
      const sha256 = createHash('sha256').update(file.body).digest('base64');
      media.set(id, { ...file, sha256 });
      return sha256;
    },
    answerNextSendWith(rawBody) {
      rawSendAnswers.push(rawBody);
    },
    failNext(match, failure, times = 1) {
      failures.push({ match, failure, remaining: times });
    },
    reset() {
      requests.length = 0;
      failures.length = 0;
      leads.clear();
      media.clear();
      rawSendAnswers.length = 0;
    },
    close: server.close,
  };
}

/** X-Hub-Signature-256 value for a raw body, as Meta computes it. */
export function signMetaPayload(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}
