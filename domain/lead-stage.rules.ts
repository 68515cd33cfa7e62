import { z } from 'zod';
import { ActorSchema } from './actor.schema';

// The pipeline: which stages exist, which moves a broker may make, the commands brokers send
// to a lead's workflow (validated by the same zod schemas in the API and in the workflow's
// update validators), and the rejections they can get back.

export const STAGES = ['new', 'engaged', 'qualified', 'handoff', 'claimed', 'viewing', 'negotiation', 'won', 'lost', 'nurture'] as const;
export type Stage = (typeof STAGES)[number];
export const StageSchema = z.enum(STAGES);

export const CLOSED_STAGES: readonly Stage[] = ['won', 'lost'];

/** Stages in which nobody nudges the lead: a viewing is booked, or the deal is decided. */
export const NO_FOLLOW_UP_STAGES: readonly Stage[] = ['viewing', 'negotiation', 'won', 'lost'];

/** Stages the AI and the handoff move through on their own; a claim moves these to `claimed`. */
export const OPEN_AI_STAGES: readonly Stage[] = ['new', 'engaged', 'qualified', 'handoff', 'nurture'];

/**
 * Manual moves (the pipeline board). `handoff` and `claimed` are never targets: they follow
 * from the handoff and from `claim`. `won` is final; `lost` may be re-opened into nurture.
 */
export const MANUAL_TRANSITIONS: Record<Stage, readonly Stage[]> = {
  new: ['engaged', 'qualified', 'nurture', 'lost'],
  engaged: ['qualified', 'nurture', 'lost'],
  qualified: ['engaged', 'viewing', 'negotiation', 'nurture', 'lost'],
  handoff: ['qualified', 'viewing', 'negotiation', 'nurture', 'lost'],
  claimed: ['viewing', 'negotiation', 'nurture', 'won', 'lost'],
  viewing: ['claimed', 'negotiation', 'nurture', 'won', 'lost'],
  negotiation: ['viewing', 'won', 'lost', 'nurture'],
  nurture: ['engaged', 'qualified', 'viewing', 'lost'],
  won: [],
  lost: ['nurture'],
};

export function allowedMoves(from: Stage): readonly Stage[] {
  return MANUAL_TRANSITIONS[from];
}

export function isClosed(stage: Stage): boolean {
  return CLOSED_STAGES.includes(stage);
}

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

export function checkStageMove(from: Stage, to: Stage): Rejection | null {
  if (from === to) return { code: 'invalid_transition', message: `The lead is already in stage ${to}`, details: { from, to, allowed: allowedMoves(from) } };
  if (!allowedMoves(from).includes(to)) {
    const hint = to === 'claimed' ? ' (a broker claims a lead with claim)' : to === 'handoff' ? ' (handoffs start on their own)' : '';
    return {
      code: 'invalid_transition',
      message: `A lead in stage ${from} cannot move to ${to}${hint}`,
      details: { from, to, allowed: allowedMoves(from) },
    };
  }
  return null;
}

// ---- Commands (workflow updates) and their inputs. ----

export const LEAD_UPDATES = {
  claim: 'claim',
  release: 'release',
  moveStage: 'moveStage',
  overrideQualification: 'overrideQualification',
  addTask: 'addTask',
  completeTask: 'completeTask',
  brokerMessage: 'brokerMessage',
} as const;

export const LEAD_SIGNALS = { inbound: 'inbound', optOut: 'optOut', erase: 'erase' } as const;

export const BrokerId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a broker id is 1-64 letters, digits, dot, dash or underscore');

const reasonText = z.string().trim().min(1, 'a reason is required').max(500);

// `actor` is set by the API from the signed-in user, never taken from a client's body.
const actor = ActorSchema.optional();

export const ClaimInput = z.object({ brokerId: BrokerId, actor }).strict();
export type ClaimInput = z.infer<typeof ClaimInput>;

export const MoveStageInput = z.object({ stage: StageSchema, reason: reasonText, actor }).strict();
export type MoveStageInput = z.infer<typeof MoveStageInput>;

export const OverrideQualificationInput = z
  .object({
    qualified: z.boolean(),
    score: z.number().int().min(0).max(100).optional(),
    reason: reasonText,
    by: BrokerId,
    actor,
  })
  .strict();
export type OverrideQualificationInput = z.infer<typeof OverrideQualificationInput>;

export const AddTaskInput = z
  .object({
    title: z.string().trim().min(1).max(200),
    dueAt: z.iso.datetime({ offset: true }),
    /** A broker id; defaults to the lead's owner. */
    assignee: BrokerId.nullable().optional(),
    actor,
  })
  .strict();
export type AddTaskInput = z.infer<typeof AddTaskInput>;

export const CompleteTaskInput = z.object({ taskId: z.string().min(1).max(80), actor }).strict();
export type CompleteTaskInput = z.infer<typeof CompleteTaskInput>;

export const BrokerMessageInput = z.object({ text: z.string().trim().min(1).max(4096), actor }).strict();
export type BrokerMessageInput = z.infer<typeof BrokerMessageInput>;

/** First zod problem as a rejection, or the parsed value. */
export function parseCommand<T>(schema: z.ZodType<T>, input: unknown): { ok: true; value: T } | { ok: false; rejection: Rejection } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return { ok: false, rejection: { code: 'invalid_input', message: `Invalid input: ${issues.map((i) => `${i.path || 'body'} ${i.message}`).join('; ')}`, details: { issues } } };
}

// ---- Opt-out words for messages the AI does not read (a broker owns the lead). ----

const STOP_WORDS = /^\s*(?:stop|stop all|unsubscribe|opt[ -]?out|cancel|end|quit|remove me|توقف|وقف|إلغاء الاشتراك|الغاء الاشتراك|ايقاف|إيقاف)\s*[.!]*\s*$/iu;

/** A bare STOP-style message (and its Arabic equivalents): honoured at once, whoever owns the lead. */
export function isStopMessage(text: string): boolean {
  return STOP_WORDS.test(text);
}
