import type { Logger } from 'pino';
import type { ChannelSender, SendRequest, SendResult } from './channel.sender';

// Web chat replies are read from the timeline and the lead's event stream, so storing them
// is delivery. WhatsApp needs the Cloud API client; without a token the reply is kept and
// marked not_configured rather than pretending it went out.
export function createDefaultChannelSender(deps: { logger: Logger; whatsapp?: (req: SendRequest) => Promise<SendResult> }): ChannelSender {
  return {
    async send(request) {
      if (request.channel === 'web') return { status: 'stored', providerId: null };
      if (deps.whatsapp) return deps.whatsapp(request);
      deps.logger.warn({ leadId: request.leadId, channel: request.channel }, 'no sender configured for channel; reply stored only');
      return { status: 'not_configured', providerId: null };
    },
  };
}
