// What the erasure workflow is asked to do (data rights, #12): ids only, never who the person was.

/** One erasure per contact (an admin's request) and per lead (retention) at a time. */
export const erasureWorkflowId = {
  contact: (contactId: string) => `erase-contact-${contactId}`,
  lead: (leadId: string) => `erase-lead-${leadId}`,
};
export interface ErasureInput {
  contactId: string;
  /** null: every lead of the contact (an admin's erase); a list: those leads (retention). */
  leadIds: string[] | null;
  reason: 'request' | 'retention';
  /** Who asked: the admin, or the retention timer. */
  actor: { id: string; role: string };
}

export interface ErasureResult {
  leadIds: string[];
  contactErased: boolean;
  redactedEvents: number;
  destroyedKeys: number;
  terminatedWorkflows: number;
  suppressed: boolean;
}
