import { ApiError, apiFetch, apiGet, type ApiAuth } from '~/lib/api.server';
import type { ScorePart } from '../../domain/profile.schema';
import type { LeadTask } from '../../domain/lead-state.reducer';

export interface LeadListItem {
  id: string;
  workflowId: string;
  channel: string;
  stage: string;
  score: number | null;
  qualified: boolean;
  ownerId: string | null;
  contact: { id: string; name: string | null };
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  nextFollowUpAt: string | null;
  slaDueAt: string | null;
  createdAt: string;
}



export interface LeadDetail {
  lead: LeadListItem & { market: string; contact: { id: string; name: string | null; phone: string | null; email: string | null } };
  profile: Record<string, unknown> | null;
  qualification: { score: number; qualified: boolean; breakdown: ScorePart[]; reasons: string[] } | null;
  timeline: Array<{ id: string; type: string; actor: string; direction: string | null; body: string | null; deliveryStatus: string | null; at: string }>;
  /** Who did what (the API's audit log), with names. */
  history: Array<{ id: string; action: string; actorName: string; actorRole: string; details: Record<string, unknown>; at: string }>;
  workflow: {
    id: string;
    status: string;
    uiUrl: string;
    error: string | null;
    state: {
      stage: string;
      stageReason: string | null;
      turns: number;
      askedFor: string | null;
      ownerId: string | null;
      optedOut: boolean;
      matches: Array<{ unitId: string; title: string; price: number; currency: string; score: number }>;
      transcript: Array<{ id: string; from: string; text: string; at: string }>;
      tasks: LeadTask[];
      handoff: { status: string; reason: string | null; offeredTo: string | null; slaDueAt: string | null; escalations: number; claimedAt: string | null };
      followUp: { dueAt: string | null };
      brokerReply: { dueAt: string | null };
      qualificationOverride: { qualified: boolean; score: number | null; reason: string; by: string; at: string } | null;
    } | null;
  };
}

export interface BrokerItem {
  id: string;
  name: string;
  active: boolean;
  paused: boolean;
}

export const listLeads = (auth: ApiAuth, status?: string, limit = 100) =>
  apiGet<{ items: LeadListItem[]; total: number }>(auth, `/leads?limit=${limit}${status ? `&status=${encodeURIComponent(status)}` : ''}`);

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
