import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { InboundMessage } from '../domain/inbound-message.schema';
import type {
  AddTaskInput,
  BrokerMessageInput,
  ClaimInput,
  CompleteTaskInput,
  MoveStageInput,
  OverrideQualificationInput,
  ReleaseInput,
} from '../domain/lead-command.contract';
import { LEAD_QUERIES, LEAD_SIGNALS, LEAD_UPDATES } from '../domain/lead-message-names.contract';
import type { LeadSnapshot } from '../domain/lead-snapshot';
import type { LeadState, LeadTask } from '../domain/lead-state.model';

// The lead workflow's messages, typed; names come from domain/lead-message-names.contract.ts and inputs from
// domain/lead-command.contract.ts (types only: its zod schemas load on a lead's first command).

export const inboundSignal = defineSignal<[InboundMessage]>(LEAD_SIGNALS.inbound);
/** The lead opted out through a channel (STOP at the edge, an unsubscribe link): nothing more goes out. */
export const optOutSignal = defineSignal(LEAD_SIGNALS.optOut);
/** Personal data erased from the workflow state; the run then ends. */
export const eraseSignal = defineSignal(LEAD_SIGNALS.erase);
/** A message already accepted by the provider failed to deliver (131049, blocked, …): a hot lead gets a call instead. */
export const deliveryFailedSignal = defineSignal(LEAD_SIGNALS.deliveryFailed);
export const stateQuery = defineQuery<LeadState>(LEAD_QUERIES.state);

export type BrokerMessageResult = { messageId: string; status: string };

export const claimUpdate = defineUpdate<LeadSnapshot, [ClaimInput]>(LEAD_UPDATES.claim);
export const releaseUpdate = defineUpdate<LeadSnapshot, [ReleaseInput?]>(LEAD_UPDATES.release);
export const moveStageUpdate = defineUpdate<LeadSnapshot, [MoveStageInput]>(LEAD_UPDATES.moveStage);
export const overrideQualificationUpdate = defineUpdate<LeadSnapshot, [OverrideQualificationInput]>(LEAD_UPDATES.overrideQualification);
export const addTaskUpdate = defineUpdate<LeadTask, [AddTaskInput]>(LEAD_UPDATES.addTask);
export const completeTaskUpdate = defineUpdate<LeadTask, [CompleteTaskInput]>(LEAD_UPDATES.completeTask);
export const brokerMessageUpdate = defineUpdate<BrokerMessageResult, [BrokerMessageInput]>(LEAD_UPDATES.brokerMessage);
