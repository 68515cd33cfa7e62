import { condition, workflowInfo } from '@temporalio/workflow';
import type { InboundMessage } from '../domain/inbound-message.schema';
import type { Channel, Market } from '../domain/profile.schema';
import type { CommandRecord, LeadSettings, LeadState, LeadTask } from '../domain/lead-state.model';
import type { DeclaredFold, PatchGate } from './lead.patches';

export interface LeadWorkflowInput {
  leadId: string;
  market: Market;
  channel: Channel;
  createdAt: string;
  /** Milliseconds to wait after a message for more before answering (a burst is one turn). */
  coalesceMs?: number;
  /** Lifecycle settings chosen by the starter; anything left out comes from the worker's configuration. */
  settings?: Partial<LeadSettings>;
  /** Present when continuing as new: the whole state, versioned JSON (see migrateState). */
  state?: LeadState;
  /** Messages signalled to the previous run that it had not taken in yet. */
  pendingInbound?: InboundMessage[];
  /**
   * The starter declares the run has the patches it was born with (lead.patches.ts,
   * DECLARED_PATCH_IDS): it asks for none of them, not even with one marker. Absent on runs
   * started before it, which ask.
   */
  patchFold?: DeclaredFold;
}

/** Side effects an update asks the main loop to run; the update waits for the result. */
export type EffectInput = { kind: 'broker_message'; n: number; text: string } | { kind: 'save_task'; task: LeadTask };
type Effect = EffectInput & { id: number };

/**
 * One run of a lead's workflow: its state (changed only by applying a domain command's
 * result), the work handlers left for the loop, and the loop's bookkeeping. Handlers and steps
 * share it; only the loop does I/O.
 */
export class LeadRun {
  readonly wfId = workflowInfo().workflowId;
  /** Changed since the projection was last written. */
  dirty = false;
  readonly inbox: InboundMessage[];
  readonly effects: Effect[] = [];
  private readonly effectResults = new Map<number, unknown>();
  private effectSeq = 0;
  /** What signals and updates asked of the loop. */
  readonly requests = { optOut: false, erase: false, turn: false, deliveryFailed: false };
  /** Commands whose actor goes on the timeline. */
  readonly audit: CommandRecord[] = [];

  constructor(
    readonly input: LeadWorkflowInput,
    public state: LeadState,
    /** Whether this run has a patch (lead.patches.ts): ask it, never `patched()` directly. */
    readonly has: PatchGate,
  ) {
    this.inbox = [...(input.pendingInbound ?? [])];
  }

  /** Takes a command's new state; returns the rest of its result. */
  apply<R extends { state: LeadState }>(result: R): Omit<R, 'state'> {
    this.state = result.state;
    this.dirty = true;
    return result;
  }

  /**
   * Takes a command's new state without asking for a projection write: for bookkeeping the
   * read model does not show (an alert's number), so a failed write cannot make itself due again.
   */
  applyQuietly<R extends { state: LeadState }>(result: R): Omit<R, 'state'> {
    this.state = result.state;
    return result;
  }

  /** Queues a side effect for the loop and waits for its result. */
  async enqueue<T>(effect: EffectInput): Promise<T> {
    const id = ++this.effectSeq;
    this.effects.push({ ...effect, id });
    await condition(() => this.effectResults.has(id));
    const result = this.effectResults.get(id) as T;
    this.effectResults.delete(id);
    return result;
  }

  settle(id: number, result: unknown): void {
    this.effectResults.set(id, result);
  }

  /** Nothing left for the loop to do until a message, a command or a timer. */
  idle(): boolean {
    const r = this.requests;
    return this.inbox.length === 0 && this.effects.length === 0 && this.audit.length === 0 && !this.dirty && !r.optOut && !r.erase && !r.turn && !r.deliveryFailed && this.state.handoff.status !== 'routing';
  }
}
