import { apiGet } from '~/lib/api.server';

export interface LeadListItem {
  id: string;
  workflowId: string;
  channel: string;
  stage: string;
  score: number | null;
  qualified: boolean;
  contact: { id: string; name: string | null };
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  createdAt: string;
}

export interface ScorePart {
  key: string;
  label: string;
  points: number;
  max: number;
  reason: string;
}

export interface LeadDetail {
  lead: LeadListItem & { market: string; ownerId: string | null; contact: { id: string; name: string | null; phone: string | null; email: string | null } };
  profile: Record<string, unknown> | null;
  qualification: { score: number; qualified: boolean; breakdown: ScorePart[]; reasons: string[] } | null;
  timeline: Array<{ id: string; type: string; actor: string; direction: string | null; body: string | null; deliveryStatus: string | null; at: string }>;
  workflow: {
    id: string;
    status: string;
    uiUrl: string;
    error: string | null;
    state: {
      stage: string;
      turns: number;
      askedFor: string | null;
      ownerId: string | null;
      matches: Array<{ unitId: string; title: string; price: number; currency: string; score: number }>;
      transcript: Array<{ id: string; from: string; text: string; at: string }>;
    } | null;
  };
}

export const listLeads = (status?: string) =>
  apiGet<{ items: LeadListItem[]; total: number }>(`/leads?limit=100${status ? `&status=${encodeURIComponent(status)}` : ''}`);

export const getLead = (id: string) => apiGet<LeadDetail>(`/leads/${encodeURIComponent(id)}`);
