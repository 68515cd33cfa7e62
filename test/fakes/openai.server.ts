import type { ServerResponse } from 'node:http';
import { sendJson, startHttpFake } from './http-fake';

// A local stand-in for api.openai.com speaking the calls the app makes, POST
// /v1/chat/completions (non-streaming) and POST /v1/embeddings, with OpenAI's documented
// response and error shapes, so tests drive the real `openai` client through `baseURL`. Each
// request is recorded; chat requests are answered by a script the test supplies, embeddings by
// an embedding function (by default a deterministic vector per text).

export interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }>;
  tools?: Array<{ type: string; function?: { name: string; parameters?: unknown; strict?: boolean } }>;
  tool_choice?: unknown;
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema?: unknown } };
  [key: string]: unknown;
}

export interface RecordedChatRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: ChatRequestBody;
}

export type FakeChatReply =
  /** The assistant asks for tools (finish_reason "tool_calls"); arguments are JSON-encoded unless already a string. */
  | { toolCalls: Array<{ name: string; arguments: unknown; id?: string }> }
  /** A final assistant message; an object is JSON-encoded, as structured output arrives. */
  | { content: unknown; finishReason?: 'stop' | 'length' }
  /** An HTTP error with OpenAI's error body. */
  | { status: number; message?: string; type?: string; code?: string | null }
  /** Close the connection without answering (a network error for the client). */
  | { drop: true };

/** Decides the answer to each request: `index` counts requests since the last reset. */
export type FakeChatScript = (req: ChatRequestBody, index: number) => FakeChatReply;

export interface FakeOpenAiServer {
  /** Pass as the client's baseURL (ends in /v1). */
  baseUrl: string;
  requests: RecordedChatRequest[];
  script(fn: FakeChatScript): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOpenAiServerOptions {
  /** When set, requests without "Authorization: Bearer <apiKey>" get OpenAI's 401. */
  apiKey?: string;
  /** Embedding of one input; default a deterministic pseudo-random unit vector seeded by the text. */
  embed?: (input: string, model: string, dimensions: number) => number[];
}

const EMBEDDING_DIMS: Readonly<Record<string, number>> = { 'text-embedding-3-small': 1536, 'text-embedding-3-large': 3072, 'text-embedding-ada-002': 1536 };

function hashedEmbedding(input: string, _model: string, dimensions: number): number[] {
  let h = 2166136261;
  for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input.charCodeAt(i), 16777619) >>> 0;
  const v: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
    v.push((h / 4294967296) * 2 - 1);
  }
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

function embeddingsResponse(body: ChatRequestBody, embed: NonNullable<FakeOpenAiServerOptions['embed']>) {
  const model = typeof body.model === 'string' ? body.model : '';
  const inputs = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) && body.input.every((x) => typeof x === 'string') ? (body.input as string[]) : null;
  if (!model || !inputs || inputs.length === 0 || inputs.length > 2048) return { status: 400, body: errorBody(400, "'input' must be a string or a non-empty array of at most 2048 strings, and 'model' is required.") };
  const dims = typeof body.dimensions === 'number' ? body.dimensions : EMBEDDING_DIMS[model];
  if (!dims) return { status: 404, body: errorBody(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found') };
  const data = inputs.map((text, index) => {
    const vec = embed(text, model, dims);
    // the openai client asks for base64 unless told otherwise: little-endian float32 bytes
    const embedding = body.encoding_format === 'base64' ? Buffer.from(Float32Array.from(vec).buffer).toString('base64') : vec;
    return { object: 'embedding', index, embedding };
  });
  const tokens = inputs.reduce((n, t) => n + Math.ceil(t.length / 4), 0);
  return { status: 200, body: { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } } };
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  503: 'server_error',
};

function send(res: ServerResponse, status: number, body: unknown): void {
  sendJson(res, status, JSON.stringify(body), { 'x-request-id': `req_fake_${Date.now()}` });
}

function errorBody(status: number, message: string, type?: string, code?: string | null) {
  return { error: { message, type: type ?? ERROR_TYPES[status] ?? 'server_error', param: null, code: code ?? null } };
}

let seq = 0;

function completion(model: string, reply: Exclude<FakeChatReply, { status: number } | { drop: true }>) {
  const base = { id: `chatcmpl-fake${++seq}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model, system_fingerprint: 'fp_fake' };
  const usage = { prompt_tokens: 1200, completion_tokens: 60, total_tokens: 1260, prompt_tokens_details: { cached_tokens: 1024 } };
  if ('toolCalls' in reply) {
    return {
      ...base,
      choices: [{
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: reply.toolCalls.map((c, i) => ({
            id: c.id ?? `call_fake${seq}_${i}`,
            type: 'function',
            function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
          })),
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      }],
      usage,
    };
  }
  return {
    ...base,
    choices: [{
      index: 0,
      message: { role: 'assistant', content: typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content), refusal: null },
      logprobs: null,
      finish_reason: reply.finishReason ?? 'stop',
    }],
    usage,
  };
}

export async function startFakeOpenAiServer(opts: FakeOpenAiServerOptions = {}): Promise<FakeOpenAiServer> {
  const requests: RecordedChatRequest[] = [];
  let script: FakeChatScript = () => ({ status: 500, message: 'no script set on the fake OpenAI server' });
  let index = 0;

  const server = await startHttpFake((req, res, rawBody) => {
    try {
      const raw = rawBody.toString('utf8');
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      let body: ChatRequestBody = {};
      try {
        body = raw ? (JSON.parse(raw) as ChatRequestBody) : {};
      } catch {
        return send(res, 400, errorBody(400, 'We could not parse the JSON body of your request.'));
      }
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
      if (req.method === 'POST' && path === '/v1/embeddings') {
        if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
          return send(res, 401, errorBody(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
        }
        const r = embeddingsResponse(body, opts.embed ?? hashedEmbedding);
        return send(res, r.status, r.body);
      }
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        return send(res, 404, errorBody(404, `Invalid URL (${req.method} ${path})`));
      }
      if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
        return send(res, 401, errorBody(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
      }
      const reply = script(body, index++);
      if ('drop' in reply) {
        req.socket.destroy();
        return;
      }
      if ('status' in reply) return send(res, reply.status, errorBody(reply.status, reply.message ?? `fake error ${reply.status}`, reply.type, reply.code));
      return send(res, 200, completion(body.model ?? 'unknown', reply));
    } catch (err) {
      // OpenAI's own error body, so the client library reports it as it would a real failure.
      if (!res.headersSent) send(res, 500, errorBody(500, err instanceof Error ? err.message : String(err)));
    }
  });

  return {
    baseUrl: `${server.baseUrl}/v1`,
    requests,
    script(fn) {
      script = fn;
      index = 0;
    },
    reset() {
      requests.length = 0;
      index = 0;
      script = () => ({ status: 500, message: 'no script set on the fake OpenAI server' });
    },
    close: server.close,
  };
}
