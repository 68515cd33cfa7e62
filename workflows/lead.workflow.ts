import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
  sleep,
  setCurrentDetails,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
  log,
} from '@temporalio/workflow';
import type { LeadActivities } from '../activities/lead.activities';
import type { InboundMessage } from '../domain/inbound-message.schema';
import type { Channel, Market } from '../domain/profile.schema';
import { acceptInbound, applyAgentResult, conversation, initialLeadState, type LeadState } from '../domain/lead-state.reducer';
import { ChannelKey, LeadScoreKey, LeadStageKey, OwnerIdKey, QualifiedKey } from '../temporal/search-attributes';

export interface LeadWorkflowInput {
  leadId: string;
  market: Market;
  channel: Channel;
  createdAt: string;
  /** Milliseconds to wait after a message for more before answering (a burst is one turn). */
  coalesceMs?: number;
  /** Present when continuing as new: the whole state, versioned JSON. */
  state?: LeadState;
}

export const inboundSignal = defineSignal<[InboundMessage]>('inbound');
export const stateQuery = defineQuery<LeadState>('state');

const { agentTurn } = proxyActivities<LeadActivities>({
  // The agent's own budget is 60 s and 10 tool calls; heartbeats let a dead worker be noticed fast.
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: '5 seconds',
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

const { recordInbound, deliverReply, persistProjection } = proxyActivities<LeadActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function leadWorkflow(input: LeadWorkflowInput): Promise<void> {
  const state: LeadState =
    input.state ?? initialLeadState({ leadId: input.leadId, market: input.market, channel: input.channel, createdAt: input.createdAt });
  const inbox: InboundMessage[] = [];

  // Handlers only enqueue: all work happens in the main loop, in order.
  setHandler(inboundSignal, (message) => {
    inbox.push(message);
  });
  setHandler(stateQuery, () => state);

  publishState(state);

  for (;;) {
    await condition(() => inbox.length > 0);
    if (input.coalesceMs && input.coalesceMs > 0) await sleep(input.coalesceMs);

    const fresh = acceptInbound(state, inbox.splice(0));
    if (fresh.length === 0) continue;
    await recordInbound({ leadId: state.leadId, messages: fresh });

    const turnId = `${workflowInfo().workflowId}:turn:${state.turns + 1}`;
    const result = await agentTurn({ leadId: state.leadId, market: state.market, channel: state.channel, messages: conversation(state) });
    const at = new Date().toISOString();
    applyAgentResult(state, result, uuid4(), at);

    // An opt-out still gets its one confirmation; nothing is sent after it.
    if (result.reply) {
      await deliverReply({
        leadId: state.leadId,
        channel: state.channel,
        text: result.reply,
        idempotencyKey: turnId,
        inReplyTo: fresh.map((m) => m.providerId),
      });
    }

    await persistProjection({
      leadId: state.leadId,
      stage: state.stage,
      profile: state.profile,
      qualification: state.qualification,
      ownerId: state.ownerId,
      lastMessageAt: state.lastInboundAt,
    });
    publishState(state);
    log.info('turn done', { turn: state.turns, stage: state.stage });

    if (workflowInfo().continueAsNewSuggested && inbox.length === 0) {
      await continueAsNew<typeof leadWorkflow>({ ...input, state });
    }
  }
}

/** Search attributes and the run's current details: what ops read in the Temporal Web UI. */
function publishState(state: LeadState): void {
  upsertSearchAttributes([
    { key: LeadStageKey, value: state.stage },
    { key: LeadScoreKey, value: state.qualification?.score ?? 0 },
    { key: QualifiedKey, value: state.qualification?.qualified ?? false },
    { key: ChannelKey, value: state.channel },
    { key: OwnerIdKey, value: state.ownerId },
  ]);
  const score = state.qualification ? `${state.qualification.score}/100` : 'not scored';
  setCurrentDetails(
    [`**Stage:** ${state.stage}`, `**Score:** ${score}`, `**Turns:** ${state.turns}`, `**Owner:** ${state.ownerId ?? 'AI'}`].join('\n\n'),
  );
}
