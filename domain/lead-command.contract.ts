import { z } from 'zod';
import { ActorSchema } from './actor.schema';
import { StageSchema } from './lead-stage.schema';

// The lead workflow's command contract: the inputs its updates take (validated by these zod
// schemas in the API and again in the workflow's update validators) and the rejections a command
// can get back. Callers (API, web, tests) and the workflow both read it from here, so neither
// side can drift. The messages' names are in lead-message-names.contract.ts.

// ---- Rejections: what a command can get back instead of a result. ----

export const REJECTION_STATUS = {
  invalid_input: 422,
  invalid_transition: 409,
  unknown_broker: 404,
  already_claimed: 409,
  not_claimed: 409,
  lead_closed: 409,
  opted_out: 409,
  erased: 410,
  task_due_in_past: 422,
  task_not_found: 404,
  task_completed: 409,
  too_many_tasks: 422,
} as const;
export type RejectionCode = keyof typeof REJECTION_STATUS;

export interface Rejection {
  code: RejectionCode;
  message: string;
  details?: Record<string, unknown>;
}

export function isRejectionCode(code: unknown): code is RejectionCode {
  return typeof code === 'string' && Object.hasOwn(REJECTION_STATUS, code);
}

// ---- Update inputs. Every one may name the actor behind it (recorded in state and timeline). ----
// Built on first use, not when the module loads: the workflow loads this module for every lead
// it starts or replays (its update validators parse with these), and most leads never get a
// command. Building them at load was most of the CPU a worker spent loading a workflow (#13,
// docs/scale.md). The API and the web app take them from `commandInputs()` once, at start-up.

function buildCommandInputs() {
  const BrokerId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a broker id is 1-64 letters, digits, dot, dash or underscore');

  const reasonText = z.string().trim().min(1, 'a reason is required').max(500);
  const actor = ActorSchema.optional();

  const ClaimInput = z.object({ brokerId: BrokerId, actor }).strict();

  /** Release takes no fields of its own; the input (and the actor in it) is optional. */
  const ReleaseInput = z.object({ actor }).strict();

  const MoveStageInput = z.object({ stage: StageSchema, reason: reasonText, actor }).strict();

  const OverrideQualificationInput = z
    .object({
      qualified: z.boolean(),
      score: z.number().int().min(0).max(100).optional(),
      reason: reasonText,
      by: BrokerId,
      actor,
    })
    .strict();

  const AddTaskInput = z
    .object({
      title: z.string().trim().min(1).max(200),
      dueAt: z.iso.datetime({ offset: true }),
      /** A broker id; defaults to the lead's owner. */
      assignee: BrokerId.nullable().optional(),
      actor,
    })
    .strict();

  const CompleteTaskInput = z.object({ taskId: z.string().min(1).max(80), actor }).strict();

  const BrokerMessageInput = z.object({ text: z.string().trim().min(1).max(4096), actor }).strict();

  return { BrokerId, ClaimInput, ReleaseInput, MoveStageInput, OverrideQualificationInput, AddTaskInput, CompleteTaskInput, BrokerMessageInput };
}

type CommandInputs = ReturnType<typeof buildCommandInputs>;
let built: CommandInputs | undefined;
/** The update inputs' zod schemas (one set per module instance: per workflow in the worker). */
export const commandInputs = (): CommandInputs => (built ??= buildCommandInputs());

export type ClaimInput = z.infer<CommandInputs['ClaimInput']>;
export type ReleaseInput = z.infer<CommandInputs['ReleaseInput']>;
export type MoveStageInput = z.infer<CommandInputs['MoveStageInput']>;
export type OverrideQualificationInput = z.infer<CommandInputs['OverrideQualificationInput']>;
export type AddTaskInput = z.infer<CommandInputs['AddTaskInput']>;
export type CompleteTaskInput = z.infer<CommandInputs['CompleteTaskInput']>;
export type BrokerMessageInput = z.infer<CommandInputs['BrokerMessageInput']>;

/** First zod problem as a rejection, or the parsed value. */
export function parseCommand<T>(schema: z.ZodType<T>, input: unknown): { ok: true; value: T } | { ok: false; rejection: Rejection } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return { ok: false, rejection: { code: 'invalid_input', message: `Invalid input: ${issues.map((i) => `${i.path || 'body'} ${i.message}`).join('; ')}`, details: { issues } } };
}
