import { commandInputs, parseCommand, type Rejection } from './lead-command.contract';
import { checkStageMove, isClosed } from './lead-stage.rules';
import type { LeadState } from './lead-state.model';

// Update validators: pure, they change nothing and say why a command cannot apply. The workflow
// runs them in its update validators, so a rejected command never reaches history.

export const TASK_LIMIT = 200;

function common(s: LeadState): Rejection | null {
  if (s.erasedAt) return { code: 'erased', message: "This lead's personal data was erased; it takes no more commands" };
  return null;
}

export function validateClaim(s: LeadState, input: unknown): Rejection | null {
  const parsed = parseCommand(commandInputs().ClaimInput, input);
  if (!parsed.ok) return parsed.rejection;
  const c = common(s);
  if (c) return c;
  if (isClosed(s.stage)) return { code: 'lead_closed', message: `The lead is ${s.stage}; re-open it before claiming`, details: { stage: s.stage } };
  if (s.ownerId && s.ownerId !== parsed.value.brokerId) {
    return { code: 'already_claimed', message: `The lead is already claimed by ${s.ownerId}`, details: { ownerId: s.ownerId } };
  }
  return null;
}

export function validateRelease(s: LeadState, input: unknown = {}): Rejection | null {
  const parsed = parseCommand(commandInputs().ReleaseInput, input ?? {});
  if (!parsed.ok) return parsed.rejection;
  const c = common(s);
  if (c) return c;
  if (!s.ownerId) return { code: 'not_claimed', message: 'The lead is not claimed by a broker; the AI already handles it' };
  return null;
}

export function validateMoveStage(s: LeadState, input: unknown): Rejection | null {
  const parsed = parseCommand(commandInputs().MoveStageInput, input);
  if (!parsed.ok) return parsed.rejection;
  return common(s) ?? checkStageMove(s.stage, parsed.value.stage);
}

export function validateOverrideQualification(s: LeadState, input: unknown): Rejection | null {
  const parsed = parseCommand(commandInputs().OverrideQualificationInput, input);
  if (!parsed.ok) return parsed.rejection;
  return common(s);
}

export function validateAddTask(s: LeadState, input: unknown, nowMs: number): Rejection | null {
  const parsed = parseCommand(commandInputs().AddTaskInput, input);
  if (!parsed.ok) return parsed.rejection;
  const c = common(s);
  if (c) return c;
  const due = Date.parse(parsed.value.dueAt);
  if (due <= nowMs) {
    return { code: 'task_due_in_past', message: `A task must be due in the future (dueAt ${parsed.value.dueAt} has passed)`, details: { dueAt: parsed.value.dueAt, now: new Date(nowMs).toISOString() } };
  }
  if (s.tasks.length >= TASK_LIMIT) return { code: 'too_many_tasks', message: `A lead holds at most ${TASK_LIMIT} tasks` };
  return null;
}

export function validateCompleteTask(s: LeadState, input: unknown): Rejection | null {
  const parsed = parseCommand(commandInputs().CompleteTaskInput, input);
  if (!parsed.ok) return parsed.rejection;
  const c = common(s);
  if (c) return c;
  const task = s.tasks.find((t) => t.id === parsed.value.taskId);
  if (!task) return { code: 'task_not_found', message: `No task ${parsed.value.taskId} on this lead`, details: { taskId: parsed.value.taskId } };
  if (task.completedAt) return { code: 'task_completed', message: `Task ${task.id} was completed at ${task.completedAt}`, details: { taskId: task.id } };
  return null;
}

export function validateBrokerMessage(s: LeadState, input: unknown): Rejection | null {
  const parsed = parseCommand(commandInputs().BrokerMessageInput, input);
  if (!parsed.ok) return parsed.rejection;
  const c = common(s);
  if (c) return c;
  if (s.optedOut) return { code: 'opted_out', message: 'The lead opted out; no more messages may be sent' };
  if (!s.ownerId) return { code: 'not_claimed', message: 'Claim the lead before messaging it' };
  return null;
}
