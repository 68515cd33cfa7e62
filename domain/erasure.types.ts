// What the erasure workflow is asked to do (data rights, #12): ids only, never who the person was.
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
