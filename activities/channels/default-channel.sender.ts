import type { Logger } from 'pino';
import type { ChannelSender, SendRequest, SendResult } from './channel.sender';

// A reply goes back the way the lead last wrote (the channel of the newest message it answers),
// not necessarily the channel that opened the lead: a web chat lead who later writes on
// WhatsApp is answered on WhatsApp. Web chat replies are read from the timeline and the lead's
// event stream, so storing them is delivery. WhatsApp (and Lead Ads leads, who can only be
// reached there, by template) need the Cloud API sender; without one the reply is kept and
// marked not_configured rather than pretending it went out.
export function createDefaultChannelSender(deps: {
  logger: Logger;
  whatsapp?: (req: SendRequest) => Promise<SendResult>;
  /** The channel of the newest inbound message among `inReplyTo`, when known. */
  channelOf?: (req: SendRequest) => Promise<string | null>;
}): ChannelSender {
  return {
    async send(request) {
      const channel = (await deps.channelOf?.(request)) ?? request.channel;
      if (channel === 'web') return { status: 'stored', providerId: null };
      if (deps.whatsapp) return deps.whatsapp(request);
      deps.logger.warn({ leadId: request.leadId, channel }, 'no sender configured for channel; reply stored only');
      return { status: 'not_configured', providerId: null };
    },
  };
}
