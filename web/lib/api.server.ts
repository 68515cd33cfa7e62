import { z } from 'zod';

// The web app reads everything through the API over HTTP (never the database), so it can
// run anywhere the API is reachable. It holds no key of its own: each call carries the
// signed-in user's session token, which the API checks against its sessions table, so the
// web server can do nothing its user could not.
// A bare host:port (what a platform's service discovery hands out, e.g. render.yaml) means plain HTTP on the private network.
const apiUrl = () => {
  const raw = process.env.API_URL ?? 'http://127.0.0.1:3000';
  return z.string().url().parse(/^https?:\/\//.test(raw) ? raw : `http://${raw}`);
};

/** Whom a call acts for: the signed-in user's session token (null for the public chat and sign-in pages). */
export interface ApiAuth {
  token: string | null;
  /** The browser's address, so the API's sign-in limits count per person, not per web server. */
  clientAddress?: string | null;
}

const authHeaders = (auth: ApiAuth | null): Record<string, string> => ({
  ...(auth?.token ? { authorization: `Session ${auth.token}` } : {}),
  ...(auth?.clientAddress ? { 'x-forwarded-for': auth.clientAddress } : {}),
});

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function apiGet<T>(auth: ApiAuth | null, path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${apiUrl()}${path}`, { ...init, headers: { accept: 'application/json', ...authHeaders(auth), ...init?.headers } });
  } catch (err) {
    throw new ApiError(503, 'api_unreachable', `The Leadline API is not reachable (${(err as Error).message})`);
  }
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'error', body?.error?.message ?? res.statusText);
  return body as T;
}

/** A raw call to the API (POST bodies, streamed responses); the API's URL never reaches the browser. */
export async function apiFetch(auth: ApiAuth | null, path: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(`${apiUrl()}${path}`, { ...init, headers: { ...authHeaders(auth), ...(init?.headers as Record<string, string> | undefined) } });
  } catch (err) {
    throw new ApiError(503, 'api_unreachable', `The Leadline API is not reachable (${(err as Error).message})`);
  }
}

/** POSTs JSON and returns the parsed body or the API's error envelope, without throwing on 4xx. */
export async function apiPost<T>(auth: ApiAuth | null, path: string, body: unknown): Promise<{ ok: true; status: number; data: T } | { ok: false; status: number; code: string; message: string }> {
  const res = await apiFetch(auth, path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (res.ok) return { ok: true, status: res.status, data: json as T };
  if (res.status >= 500 && res.status !== 503) throw new ApiError(res.status, json?.error?.code ?? 'error', json?.error?.message ?? res.statusText);
  return { ok: false, status: res.status, code: json?.error?.code ?? 'error', message: json?.error?.message ?? res.statusText };
}
