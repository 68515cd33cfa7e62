import type { Channel } from '../domain/profile.schema';
import type { ChannelAdapter } from './channel.contract';
import type { ChannelDeps } from './channel.deps';
import { createLeadAdsChannel } from './leadads/leadads.channel';
import { createSmsChannel } from './sms/sms.channel';
import { createWebChatChannel } from './webchat/webchat.channel';
import { createWhatsAppChannel } from './whatsapp/whatsapp.channel';

// Every channel Leadline speaks, by name. Adding one is a folder under channels/, its name in
// domain's Channel enum, one line here, and its tests (ADR 007).
const FACTORIES = {
  whatsapp: createWhatsAppChannel,
  leadads: createLeadAdsChannel,
  web: createWebChatChannel,
  sms: createSmsChannel,
} satisfies Record<Channel, (deps: ChannelDeps) => ChannelAdapter<never> | ChannelAdapter<unknown>>;

type Factories = typeof FACTORIES;
export type ChannelRegistry = { readonly [K in Channel]: ReturnType<Factories[K]> };

export function createChannelRegistry(deps: ChannelDeps, overrides: Partial<ChannelRegistry> = {}): ChannelRegistry {
  const entries = (Object.keys(FACTORIES) as Channel[]).map((name) => [name, overrides[name] ?? FACTORIES[name](deps)] as const);
  return Object.fromEntries(entries) as unknown as ChannelRegistry;
}

export function channelAdapter(registry: ChannelRegistry, name: Channel): ChannelAdapter<unknown> {
  return registry[name] as ChannelAdapter<unknown>;
}
