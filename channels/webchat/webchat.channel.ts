import type { ChannelAdapter } from '../channel.contract';

// Web chat arrives through its own session API (api/routes/agent.routes.ts), not a webhook,
// and its replies are read from the timeline and the lead's event stream: storing the reply
// is delivery.
export function createWebChatChannel(): ChannelAdapter {
  return {
    name: 'web',
    rules: { freeFormWindowMs: null, maxTextLength: 4000, providerHandlesOptOut: false },
    configured: true,
    canReach: () => true,
    async send() {
      return { status: 'stored', providerId: null };
    },
  };
}
