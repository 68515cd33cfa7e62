import type { Logger } from 'pino';
import type { Channel } from '../domain/profile.schema';
import type { ReplyTarget, SendResult } from './channel.contract';
import { channelAdapter, type ChannelRegistry } from './channel.registry';

// The one place that decides which channel answers a lead. A reply goes back the way the lead
// last wrote (the channel of the newest inbound message it answers; for nudges and broker
// messages the lead's newest inbound message), unless a broker picked another channel. A
// channel nobody can be answered on (a Lead Ads form) hands over to the first configured
// channel it names. One read loads the lead's reply context, and the chosen channel's sender
// gets it: no sender reloads the lead. Opt-out is the person's: after STOP on any channel,
// nothing goes out on any channel that START has not re-enabled, except the one confirmation
// of the STOP itself where the provider does not send its own (Twilio does, on SMS).

export interface ReplyContext extends ReplyTarget {
  /** Channel of the newest answered inbound message (or of the lead's newest one). */
  answeredChannel: Channel | null;
  optOut: { at: string; messageId: string | null; reenabled: Channel[] } | null;
}

export interface ReplyRequest {
  leadId: string;
  /** The channel the workflow knows the lead by: used when the lead never wrote at all. */
  channel: Channel;
  /** A broker's choice of channel, over the router's. */
  viaChannel?: Channel;
  text: string;
  idempotencyKey: string;
  inReplyTo: string[];
}

export type RoutedReply = SendResult & { channel: Channel };

export interface ReplyRouter {
  deliver(request: ReplyRequest): Promise<RoutedReply>;
}

export function createReplyRouter(deps: {
  registry: ChannelRegistry;
  /** The single database read behind a reply. */
  loadContext: (leadId: string, inReplyTo: string[]) => Promise<ReplyContext | null>;
  logger: Logger;
}): ReplyRouter {
  function chooseChannel(request: ReplyRequest, context: ReplyContext): Channel {
    const wanted = request.viaChannel ?? context.answeredChannel ?? request.channel;
    const via = channelAdapter(deps.registry, wanted).rules.replyVia;
    if (!via || via.length === 0) return wanted;
    return via.find((c) => channelAdapter(deps.registry, c).configured && channelAdapter(deps.registry, c).canReach(context.recipient)) ?? via[0]!;
  }

  return {
    async deliver(request) {
      const context = await deps.loadContext(request.leadId, request.inReplyTo);
      if (!context) return { channel: request.channel, status: 'failed', providerId: null, error: 'lead not found' };
      const channel = chooseChannel(request, context);
      const adapter = channelAdapter(deps.registry, channel);
      if (context.optOut && !context.optOut.reenabled.includes(channel)) {
        const confirmation =
          !adapter.rules.providerHandlesOptOut && context.optOut.messageId !== null && request.inReplyTo.includes(context.optOut.messageId);
        if (!confirmation) {
          deps.logger.info({ leadId: request.leadId, channel }, 'contact opted out; reply not sent');
          return { channel, status: 'suppressed_opted_out', providerId: null };
        }
      }
      const result = await adapter.send({ idempotencyKey: request.idempotencyKey, content: { kind: 'text', text: request.text }, target: context });
      return { ...result, channel };
    },
  };
}
