import { ApiError, apiFetch, apiGet, type ApiAuth } from '~/lib/api.server';
import type { LeadDetail, LeadPage } from '../../domain/lead-summary.schema';

export interface BrokerItem {
  id: string;
  name: string;
  active: boolean;
  paused: boolean;
}

export const listLeads = (auth: ApiAuth, status?: string, limit = 100) =>
  apiGet<LeadPage>(auth, `/leads?limit=${limit}${status ? `&status=${encodeURIComponent(status)}` : ''}`);

/** The inbox page: the URL's non-empty query parameters go to the API as they are (it validates them). */
export function listInbox(auth: ApiAuth, params: URLSearchParams) {
  const forward = new URLSearchParams();
  for (const [key, value] of params) if (value.trim() !== '') forward.set(key, value);
  const query = forward.toString();
  return apiGet<LeadPage>(auth, `/leads${query ? `?${query}` : ''}`);
}

export const getLead = (auth: ApiAuth, id: string) => apiGet<LeadDetail>(auth, `/leads/${encodeURIComponent(id)}`);

export const listBrokers = (auth: ApiAuth) => apiGet<{ items: BrokerItem[] }>(auth, '/brokers').then((r) => r.items);

/** A broker command's outcome: the API's result, or its rejection ({error:{code,message}}) to show beside the form. */
export type CommandResult<T = unknown> = { ok: true; result: T } | { ok: false; status: number; code: string; message: string };

/** Sends one broker command (a workflow update behind the API); a 4xx rejection is a result, not an exception. */
export async function leadCommand<T = unknown>(auth: ApiAuth, leadId: string, command: string, body?: unknown): Promise<CommandResult<T>> {
  const res = await apiFetch(auth, `/leads/${encodeURIComponent(leadId)}/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const json = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (res.ok) return { ok: true, result: json as T };
  if (res.status >= 500 && res.status !== 503) throw new ApiError(res.status, json?.error?.code ?? 'error', json?.error?.message ?? res.statusText);
  return { ok: false, status: res.status, code: json?.error?.code ?? 'error', message: json?.error?.message ?? res.statusText };
}
