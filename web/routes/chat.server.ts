import { createCookie } from 'react-router';
import { z } from 'zod';
import { apiFetch } from '~/lib/api.server';
import { clientAddressOf } from '~/lib/session.server';
import { streamThrough } from '~/lib/stream-through.server';

// The web chat session key lives in an httpOnly cookie: the browser never sees it, and every
// call to the API goes through this app (same origin), so the API URL stays server-side.
export const chatSessionCookie = createCookie('leadline_chat', {
  httpOnly: true,
  sameSite: 'lax',
  // '/' rather than '/chat': React Router fetches loader data from /chat.data, which a '/chat'
  // cookie path does not cover, so the page would never see its own session.
  path: '/',
  secure: process.env.NODE_ENV === 'production',
  maxAge: 30 * 24 * 3600,
});

export async function sessionKeyFrom(request: Request): Promise<string | null> {
  const value: unknown = await chatSessionCookie.parse(request.headers.get('cookie'));
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Starts a web chat session on the API; returns the Set-Cookie header that keeps its key. */
// The browser's address goes with each call (the web server appends it to X-Forwarded-For), so
// the API limits each visitor on their own and never puts every visitor in the web server's bucket.
export async function startChatSession(details: { name?: string }, clientAddress: string | null = null): Promise<{ setCookie: string } | { status: number; message: string }> {
  const res = await apiFetch({ token: null, clientAddress }, '/agent/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(details.name ? { name: details.name } : {}),
  });
  const body = (await res.json().catch(() => null)) as { sessionKey?: string; error?: { message: string } } | null;
  if (!res.ok || !body?.sessionKey) return { status: res.status, message: body?.error?.message ?? 'Could not start a chat' };
  return { setCookie: await chatSessionCookie.serialize(body.sessionKey) };
}

/** Forwards one turn to the API and passes its event stream (or error) straight through. */
export async function forwardTurn(request: Request): Promise<Response> {
  const key = await sessionKeyFrom(request);
  if (!key) return Response.json({ error: { code: 'session_required', message: 'Start a chat first', details: null } }, { status: 401 });
  const upstream = await apiFetch({ token: null, clientAddress: clientAddressOf(request) }, '/agent/turn', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-session-key': key },
    body: await request.text(),
    signal: request.signal,
  });
  const headers = new Headers({ 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-cache, no-transform' });
  const retryAfter = upstream.headers.get('retry-after');
  if (retryAfter) headers.set('retry-after', retryAfter);
  // An expired session: drop the cookie so the page starts a new one.
  if (upstream.status === 401) headers.append('set-cookie', await chatSessionCookie.serialize('', { maxAge: 0 }));
  return new Response(upstream.body && streamThrough(upstream.body, request.signal), { status: upstream.status, headers });
}

const VerificationStep = z.discriminatedUnion('step', [
  z.object({ step: z.literal('start'), phone: z.string().trim().min(4).max(40) }),
  z.object({ step: z.literal('check'), code: z.string().trim().max(12) }),
]);

/**
 * Proving the visitor's number (#12): forwards "send me a code" to POST /agent/verify/start and
 * the typed code to POST /agent/verify, with the session key from the cookie. The API does the
 * checking and the limits; its answer (or error envelope) goes back to the page as it is.
 */
export async function forwardVerification(request: Request): Promise<Response> {
  const key = await sessionKeyFrom(request);
  if (!key) return Response.json({ error: { code: 'session_required', message: 'Start a chat first', details: null } }, { status: 401 });
  const parsed = VerificationStep.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: { code: 'invalid_input', message: 'Send { step: "start", phone } or { step: "check", code }', details: null } }, { status: 400 });
  const step = parsed.data;
  const upstream = await apiFetch({ token: null, clientAddress: clientAddressOf(request) }, step.step === 'start' ? '/agent/verify/start' : '/agent/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-session-key': key },
    body: JSON.stringify(step.step === 'start' ? { phone: step.phone } : { code: step.code }),
  });
  const headers = new Headers({ 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' });
  const retryAfter = upstream.headers.get('retry-after');
  if (retryAfter) headers.set('retry-after', retryAfter);
  if (upstream.status === 401) headers.append('set-cookie', await chatSessionCookie.serialize('', { maxAge: 0 }));
  return new Response(upstream.body, { status: upstream.status, headers });
}

const VerificationStatus = z.object({ verification: z.object({ status: z.enum(['verified', 'pending', 'none']), phoneEnding: z.string().nullable() }) });
export type ChatVerification = z.infer<typeof VerificationStatus>['verification'];

/** Whether this chat proved a number (null when there is no session or the API cannot say). */
export async function verificationStatus(request: Request): Promise<ChatVerification | null> {
  const key = await sessionKeyFrom(request);
  if (!key) return null;
  const res = await apiFetch({ token: null, clientAddress: clientAddressOf(request) }, '/agent/verify', { headers: { accept: 'application/json', 'x-session-key': key } }).catch(() => null);
  if (!res?.ok) return null;
  const parsed = VerificationStatus.safeParse(await res.json().catch(() => null));
  return parsed.success ? parsed.data.verification : null;
}
