import type { LeadSummary } from '../../../domain/lead-summary.schema';

export interface BoardColumn {
  stage: string;
  items: LeadSummary[];
  /** Every lead in the stage (the API's count), not just the cards loaded. */
  total: number;
  limit: number;
}

export type MoveResult =
  | { ok: true; leadId: string; stage: string; ownerId: string | null; claimed: boolean }
  | { ok: false; leadId: string | null; stage: string | null; error: { code: string; message: string } };

export interface BoardBroker {
  id: string;
  name: string;
}
