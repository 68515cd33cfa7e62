import { z } from 'zod';

// The web app reads everything through the API over HTTP (never the database), so it can
// run anywhere the API is reachable.
const apiUrl = () => z.string().url().parse(process.env.API_URL ?? 'http://127.0.0.1:3000');
/** The broker API's bearer token (API_TOKEN), sent from the server only, never to the browser. */
const authHeaders = (): Record<string, string> => (process.env.API_TOKEN ? { authorization: `Bearer ${process.env.API_TOKEN}` } : {});

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function apiGet<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${apiUrl()}${path}`, { ...init, headers: { accept: 'application/json', ...authHeaders(), ...init?.headers } });
  } catch (err) {
    throw new ApiError(503, 'api_unreachable', `The Leadline API is not reachable (${(err as Error).message})`);
  }
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'error', body?.error?.message ?? res.statusText);
  return body as T;
}

/** A raw call to the API (POST bodies, streamed responses); the API's URL never reaches the browser. */
export async function apiFetch(path: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(`${apiUrl()}${path}`, { ...init, headers: { ...authHeaders(), ...(init?.headers as Record<string, string> | undefined) } });
  } catch (err) {
    throw new ApiError(503, 'api_unreachable', `The Leadline API is not reachable (${(err as Error).message})`);
  }
}
