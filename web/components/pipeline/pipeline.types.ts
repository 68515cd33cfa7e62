import type { LeadSummary } from '../../../domain/lead-summary.schema';

export interface BoardColumn {
  stage: string;
  items: LeadSummary[];
  /** Every lead in the stage (the API's count), not just the cards loaded. */
  total: number;
  limit: number;
}

/**
 * The board's leads, one per lead. The columns are listed one call each, so a lead whose stage
 * changed between two calls is in both lists and showed as two cards; the copy from the later
 * column is kept (stages mostly move forward), the next refresh agrees, and a move in flight or
 * just made decides its column anyway.
 */
export function boardLeads(columns: readonly BoardColumn[]): LeadSummary[] {
  return [...new Map(columns.flatMap((c) => c.items).map((l) => [l.id, l])).values()];
}

export type MoveResult =
  | { ok: true; leadId: string; stage: string; ownerId: string | null; claimed: boolean }
  | { ok: false; leadId: string | null; stage: string | null; error: { code: string; message: string } };

export interface BoardBroker {
  id: string;
  name: string;
}
