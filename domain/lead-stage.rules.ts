import type { Rejection } from './lead-command.contract';

// The pipeline: which stages exist and which moves a broker may make. The commands brokers
// send to a lead's workflow and their rejections are in lead-command.contract.ts.

export const STAGES = ['new', 'engaged', 'qualified', 'handoff', 'claimed', 'viewing', 'negotiation', 'won', 'lost', 'nurture'] as const;
export type Stage = (typeof STAGES)[number];
/** A stage name, for values read from storage or a URL. (The zod schema is in lead-stage.schema.ts: this module stays free of zod so workflows can share it.) */
export const isStage = (value: unknown): value is Stage => typeof value === 'string' && (STAGES as readonly string[]).includes(value);

export const CLOSED_STAGES: readonly Stage[] = ['won', 'lost'];

/** The way forward, in order: how far a lead got (the funnel); `lost` and `nurture` are off it. */
export const FORWARD_STAGES = ['new', 'engaged', 'qualified', 'handoff', 'claimed', 'viewing', 'negotiation', 'won'] as const satisfies readonly Stage[];

/** The further of the furthest stage so far and the stage the lead is now in. */
export function furthestStage(sofar: string | null, now: string): string {
  const rank = (s: string | null) => (s === null ? 0 : FORWARD_STAGES.indexOf(s as (typeof FORWARD_STAGES)[number]));
  return rank(now) > rank(sofar) ? now : (sofar ?? 'new');
}

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

/** Stages a person works a lead in: the lead must have an owner to enter them (the API claims for a broker first). */
export const OWNER_STAGES: readonly Stage[] = ['viewing', 'negotiation', 'won'];

export function needsOwner(stage: Stage): boolean {
  return OWNER_STAGES.includes(stage);
}

/** The stage a claim leaves the lead in: open AI stages become `claimed`, others stay. */
export function stageAfterClaim(stage: Stage): Stage {
  return OPEN_AI_STAGES.includes(stage) ? 'claimed' : stage;
}

export function allowedMoves(from: Stage): readonly Stage[] {
  return MANUAL_TRANSITIONS[from];
}

export function isClosed(stage: Stage): boolean {
  return CLOSED_STAGES.includes(stage);
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
