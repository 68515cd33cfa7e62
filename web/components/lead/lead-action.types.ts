/** What the lead page's action answers: a notice, or the refusal with the values typed (the form keeps them). */
export type LeadActionResult =
  | { ok: true; intent: string; taskId?: string; notice: string }
  | { ok: false; intent: string; taskId?: string; error: { code: string; message: string }; values: Record<string, string> };

export type LeadIntent = 'claim' | 'release' | 'move-stage' | 'qualify' | 'add-task' | 'complete-task' | 'message';

export interface BrokerRef {
  id: string;
  name: string;
  active: boolean;
  paused: boolean;
}
