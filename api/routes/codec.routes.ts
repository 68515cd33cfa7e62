import type { MikroORM } from '@mikro-orm/postgresql';
import Router from '@koa/router';
import cors from '@koa/cors';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Logger } from 'pino';
import { AppError, badRequest } from '../../lib/errors';
import type { Env } from '../../lib/env';
import { codecAuthorizers, codecTokenMatches, issueCodecSession, requireCodecAccess } from '../middleware/codec-auth';
import { readJson, readRawBody } from '../middleware/raw-body';

// Temporal's remote codec protocol, for the Temporal Web UI (`--ui-codec-endpoint`) and
// `temporal workflow show --codec-endpoint`: POST {endpoint}/decode and /encode with
// `{ "payloads": [{ "metadata": { key: base64 }, "data": base64 }] }` (the protobuf JSON form),
// answered in the same shape. It runs the API client's own codecs, so it reads exactly what
// the product writes. Mounted ahead of the broker API token check: it has its own (codec-auth).

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64');
const JsonPayload = z.object({ metadata: z.record(z.string(), base64).nullish(), data: base64.nullish() });
const CodecBody = z.object({ payloads: z.array(JsonPayload).max(10_000) });
type JsonPayload = z.infer<typeof JsonPayload>;

const BODY_LIMIT = 8 * 1024 * 1024;

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
// Decoded protobuf messages may hold a plain empty array for an unset bytes field.
const b64 = (b: Uint8Array | number[]) => Buffer.from(b).toString('base64');
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
  data: b64(p.data ?? new Uint8Array()),
});

/** The UI's origin, and its 127.0.0.1/localhost twin (the same UI, whichever name the browser used). */
function uiOrigins(uiUrl: string): Set<string> {
  const url = new URL(uiUrl);
  const origins = new Set([url.origin]);
  const twin = url.hostname === '127.0.0.1' ? 'localhost' : url.hostname === 'localhost' ? '127.0.0.1' : undefined;
  if (twin) origins.add(`${url.protocol}//${twin}${url.port ? `:${url.port}` : ''}`);
  return origins;
}

export function codecRoutes(deps: { env: Env; temporal: Client; logger: Logger; orm: MikroORM }) {
  const router = new Router({ prefix: '/codec' });
  const codecs: PayloadCodec[] = deps.temporal.options.loadedDataConverter.payloadCodecs;
  const origins = uiOrigins(deps.env.TEMPORAL_UI_URL);
  const token = deps.env.CODEC_AUTH_TOKEN;
  const authorised = requireCodecAccess(codecAuthorizers(token, deps.orm));

  router.use(
    cors({
      origin: (ctx) => (origins.has(ctx.get('origin')) ? ctx.get('origin') : ''),
      credentials: true,
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
      maxAge: 600,
    }),
  );
  // Preflights are answered by cors() above; these only make the paths match.
  router.options(['/decode', '/encode', '/session'], () => undefined);

  async function readPayloads(ctx: Context): Promise<Payload[]> {
    if (!ctx.is('application/json')) throw new AppError('unsupported_media_type', 415, 'Send the payloads as application/json');
    const namespace = ctx.get('x-namespace');
    if (namespace && namespace !== deps.env.TEMPORAL_NAMESPACE) throw badRequest(`This codec serves namespace ${deps.env.TEMPORAL_NAMESPACE}`, { namespace });
    const parsed = CodecBody.safeParse(await readJson(ctx, BODY_LIMIT));
    if (!parsed.success) throw badRequest('Expected { payloads: [{ metadata, data }] } with base64 values', z.treeifyError(parsed.error));
    return parsed.data.payloads.map(fromJson);
  }

  router.post('/decode', authorised, async (ctx) => {
    const payloads = await readPayloads(ctx);
    let undecodable = 0;
    // One at a time, so a payload whose key was destroyed (an erased lead) stays ciphertext
    // instead of failing the whole event.
    const decoded = await Promise.all(
      payloads.map(async (payload) => {
        try {
          let out = [payload];
          for (const codec of [...codecs].reverse()) out = await codec.decode(out);
          return out[0]!;
        } catch (err) {
          undecodable++;
          ctx.state.log?.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'codec: payload left encrypted');
          return payload;
        }
      }),
    );
    if (undecodable) ctx.set('X-Codec-Undecodable', String(undecodable));
    ctx.body = { payloads: decoded.map(toJson) };
  });

  // No workflow context reaches this endpoint, so payloads encoded here (inputs typed into the
  // UI) use the system key.
  router.post('/encode', authorised, async (ctx) => {
    let out = await readPayloads(ctx);
    for (const codec of codecs) out = await codec.encode(out);
    ctx.body = { payloads: out.map(toJson) };
  });

  // The Temporal UI sends cookies ("Include cross-origin credentials") but no custom header, so
  // ops trade the token for a session cookie here, in the same browser.
  router.get('/session', (ctx) => {
    ctx.type = 'html';
    ctx.body = SESSION_FORM;
  });
  router.post('/session', async (ctx) => {
    // Without a configured token there is nothing to trade: admins use their own web session.
    if (!token) throw new AppError('unauthorized', 401, 'No codec token is configured (CODEC_AUTH_TOKEN): sign in to the web app as an admin instead');
    const isForm = Boolean(ctx.is('application/x-www-form-urlencoded'));
    const presented = isForm
      ? (new URLSearchParams((await readRawBody(ctx, 16 * 1024)).toString('utf8')).get('token') ?? '')
      : ctx.get('authorization').replace(/^Bearer /, '');
    if (!codecTokenMatches(token, presented)) throw new AppError('unauthorized', 401, 'Wrong codec token');
    issueCodecSession(ctx, token);
    if (isForm) {
      ctx.type = 'html';
      ctx.body = SESSION_DONE;
    } else ctx.status = 204;
  });

  return router;
}

const SESSION_FORM = `<!doctype html><meta charset="utf-8"><title>Leadline codec</title>
<form method="post" action="/codec/session" style="font:16px system-ui;max-width:32rem;margin:4rem auto">
<h1>Read encrypted Temporal payloads</h1>
<p>Enter the codec token (CODEC_AUTH_TOKEN). This browser then holds an 8-hour session cookie that the
Temporal UI sends when its codec settings have <em>Include cross-origin credentials</em> on.</p>
<input name="token" type="password" autocomplete="off" required style="width:100%;padding:.5rem">
<p><button type="submit">Start codec session</button></p></form>`;

const SESSION_DONE = `<!doctype html><meta charset="utf-8"><title>Leadline codec</title>
<p style="font:16px system-ui;max-width:32rem;margin:4rem auto">Codec session started for 8 hours. In the Temporal UI,
open the codec settings, turn on <em>Include cross-origin credentials</em> and reload the workflow.</p>`;
