import { z } from 'zod';
import type { ApiAuth } from '~/lib/api.server';
import type { Auth } from '~/lib/session.server';
import type { LeadActionResult } from '~/components/lead/lead-action.types';
import { commandInputs } from '../../domain/lead-command.contract';
import { getLead, leadCommand, listBrokers, type BrokerItem, type CommandResult } from './leads.server';

/** The lead and the brokers for the pickers; the page still works (read-only names) without the list. */
export async function loadLeadPage(auth: ApiAuth, leadId: string) {
  const [lead, brokers] = await Promise.all([getLead(auth, leadId), listBrokers(auth).catch(() => [] as BrokerItem[])]);
  return { ...lead, brokers };
}

// ---- One form per command, told apart by `intent`, each checked with the domain's own schemas. ----

const { AddTaskInput, BrokerMessageInput, ClaimInput, MoveStageInput, OverrideQualificationInput } = commandInputs();
const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

const LeadActionForm = z.discriminatedUnion('intent', [
  // No broker: "claim for me". A manager or admin may name one (assigning the lead); the API decides who may.
  z.object({ intent: z.literal('claim'), brokerId: z.preprocess(blankToUndefined, ClaimInput.shape.brokerId.optional()) }),
  z.object({ intent: z.literal('release') }),
  z.object({ intent: z.literal('move-stage'), stage: MoveStageInput.shape.stage, reason: MoveStageInput.shape.reason }),
  z.object({
    intent: z.literal('qualify'),
    qualified: z.enum(['true', 'false']).transform((v) => v === 'true'),
    score: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(100).optional()),
    reason: OverrideQualificationInput.shape.reason,
  }),
  z.object({
    intent: z.literal('add-task'),
    title: AddTaskInput.shape.title,
    // <input type="datetime-local"> has no zone: the browser adds its offset (minutes east of UTC) beside it.
    dueLocal: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'pick a due date and time'),
    tzOffset: z.preprocess(blankToUndefined, z.coerce.number().int().min(-900).max(900).default(0)),
    assignee: z.preprocess(blankToUndefined, ClaimInput.shape.brokerId.optional()),
  }),
  z.object({ intent: z.literal('complete-task'), taskId: z.string().min(1).max(80) }),
  z.object({ intent: z.literal('message'), text: BrokerMessageInput.shape.text }),
]);

const FIELD_NAMES: Record<string, string> = { title: 'Title', dueLocal: 'Due', reason: 'Reason', text: 'Message', stage: 'Stage', score: 'Score', brokerId: 'Broker' };

/** `2026-05-01T09:30` at +240 minutes → `2026-05-01T09:30:00+04:00`. */
export function withOffset(local: string, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local.length === 16 ? `${local}:00` : local}${sign}${hhmm}`;
}

/** Runs the submitted command; a refusal comes back with the typed values so the form keeps them. */
export async function runLeadAction(auth: Auth, leadId: string, form: FormData): Promise<{ result: LeadActionResult; status: number }> {
  const values = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
  const intent = values.intent ?? 'unknown';
  const taskId = values.taskId;
  const parsed = LeadActionForm.safeParse(values);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${FIELD_NAMES[String(i.path[0])] ?? (i.path.join('.') || 'Form')}: ${i.message}`).join('; ');
    return { result: { ok: false, intent, taskId, error: { code: 'invalid_input', message }, values }, status: 422 };
  }
  const cmd = parsed.data;
  let result: CommandResult;
  let notice: string;
  switch (cmd.intent) {
    case 'claim':
      result = await leadCommand(auth, leadId, 'claim', cmd.brokerId ? { brokerId: cmd.brokerId } : {});
      notice = cmd.brokerId ? `Assigned to ${cmd.brokerId}` : `Claimed by ${auth.user.name}`;
      break;
    case 'release':
      result = await leadCommand(auth, leadId, 'release');
      notice = 'Released to the AI agent';
      break;
    case 'move-stage':
      result = await leadCommand(auth, leadId, 'stage', { stage: cmd.stage, reason: cmd.reason });
      notice = `Moved to ${cmd.stage}`;
      break;
    case 'qualify':
      result = await leadCommand(auth, leadId, 'qualify', { qualified: cmd.qualified, reason: cmd.reason, ...(cmd.score === undefined ? {} : { score: cmd.score }) });
      notice = cmd.qualified ? 'Marked qualified' : 'Marked not qualified';
      break;
    case 'add-task':
      result = await leadCommand(auth, leadId, 'tasks', { title: cmd.title, dueAt: withOffset(cmd.dueLocal, cmd.tzOffset), ...(cmd.assignee ? { assignee: cmd.assignee } : {}) });
      notice = 'Task added';
      break;
    case 'complete-task':
      result = await leadCommand(auth, leadId, `tasks/${encodeURIComponent(cmd.taskId)}/complete`);
      notice = 'Task completed';
      break;
    case 'message':
      result = await leadCommand(auth, leadId, 'messages', { text: cmd.text });
      notice = 'Message sent';
      break;
  }
  if (!result.ok) return { result: { ok: false, intent, taskId, error: { code: result.code, message: result.message }, values }, status: result.status };
  return { result: { ok: true, intent, taskId, notice }, status: 200 };
}
