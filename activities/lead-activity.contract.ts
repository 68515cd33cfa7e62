import type { AgentTurnResult, ConversationMessage } from '../domain/agent.types';
import type { Channel, Market } from '../domain/profile.schema';
import type { Projection } from '../db/lead.repository';

// What the lead workflow hands its activities and gets back (the activities are in
// lead.activities.ts). Workflows import these types only.

export interface AgentTurnInput {
  leadId: string;
  market: Market;
  channel: Channel;
  messages: ConversationMessage[];
  formAnswers?: Record<string, string>;
  /** The lead's time zone, for times they propose. */
  timeZone?: string;
  /**
   * false: the workflow runs rememberTurn itself once the reply is out, so the memory write
   * (extraction, embedding, inserts) is not on the reply's path. Default true (older histories).
   */
  remember?: boolean;
  /**
   * false: the lead has no memories yet (its first turn; memories are written after a turn's
   * reply), so the recall is skipped: with Qdrant that is an embedding request and a search
   * off the first reply's path (#13). Default true.
   */
  recall?: boolean;
  /**
   * Send the reply from this activity as soon as it is written (#13, REPLY_IN_TURN_PATCH): one
   * task-queue round trip and one workflow task less between a message and its answer. The
   * workflow still decides everything else, and sends with deliverReply when this did not.
   */
  deliver?: TurnDelivery;
}

export interface TurnDelivery {
  idempotencyKey: string;
  inReplyTo: string[];
  /** The messages that started the turn: a stop request among them is honoured before anything is sent. */
  fresh: Array<{ text: string }>;
}

/** The agent's result and, when the turn sent its reply itself, how that went. */
export type AgentTurnOutcome = AgentTurnResult & { delivered?: DeliverReplyResult };

export interface RememberTurnInput {
  leadId: string;
  market: Market;
  messages: ConversationMessage[];
  /**
   * The last step of the lead's first turn at the new-lead priority: move the workflow to the
   * default key now (ADR 020). Here and not in agentTurn, so the workflow task that finishes the
   * first turn still goes first.
   */
  settlePriority?: boolean;
}

export interface DeliverReplyInput {
  leadId: string;
  channel: Channel;
  text: string;
  idempotencyKey: string;
  /** Provider ids of the inbound messages this reply answers (web chat streams match on them). */
  inReplyTo: string[];
  /** Who speaks: the AI (default; nudges too) or the broker who owns the lead. */
  actor?: 'agent' | 'broker';
  /** A broker's choice of channel; otherwise the channel of the newest message answered. */
  viaChannel?: Channel;
  /**
   * A follow-up nudge: its step in the cadence (1-based, from the lead's last reply), kept on
   * the timeline row for analytics. Only an activity argument: no new workflow command.
   */
  nudgeStep?: number;
}

export interface DeliverReplyResult {
  status: string;
  providerId: string | null;
  /** Nobody can reach the person on any channel we have for them. */
  unreachable?: boolean;
}

/** The lead's row in the read model, as the workflow knows it (written by saveProjection). */
export type ProjectionInput = Projection;
