import { z } from 'zod';

// The web app reads everything through the API over HTTP (never the database), so it can
// run anywhere the API is reachable.
const apiUrl = () => z.string().url().parse(process.env.API_URL ?? 'http://127.0.0.1:3000');

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
    res = await fetch(`${apiUrl()}${path}`, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch (err) {
    throw new ApiError(503, 'api_unreachable', `The Leadline API is not reachable (${(err as Error).message})`);
  }
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'error', body?.error?.message ?? res.statusText);
  return body as T;
}
