import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ChannelAdapter, SendRequest } from '../../channels/channel.contract';
import type { ChannelRegistry } from '../../channels/channel.registry';
import { createReplyRouter, type ReplyContext } from '../../channels/reply.router';
import type { Channel } from '../../domain/profile.schema';

// The router's decisions with stand-in channels: which channel answers, one context read per
// reply handed to the sender, and the person's opt-out.

function stubChannel(name: Channel, over: Partial<ChannelAdapter> = {}, sent: SendRequest[] = []): ChannelAdapter {
  return {
    name,
    rules: { freeFormWindowMs: null, maxTextLength: 1000, providerHandlesOptOut: false },
    configured: true,
    canReach: () => true,
    async send(request) {
      sent.push(request);
      return { status: 'sent', providerId: `${name}-1` };
    },
    ...over,
  };
}

function setup(context: Partial<ReplyContext>, adapters: Partial<Record<Channel, Partial<ChannelAdapter>>> = {}) {
  const sent: Record<Channel, SendRequest[]> = { whatsapp: [], sms: [], web: [], leadads: [] };
  const registry = Object.fromEntries(
    (['whatsapp', 'sms', 'web', 'leadads'] as const).map((c) => [c, stubChannel(c, adapters[c], sent[c])]),
  ) as unknown as ChannelRegistry;
  let reads = 0;
  const full: ReplyContext = {
    leadId: 'lead-1',
    recipient: { contactId: 'c1', name: null, phone: '+971501234567', email: null, waId: '971501234567', bsuid: null },
    businessAddress: {},
    lastInboundAt: {},
    answeredChannel: null,
    optOut: null,
    ...context,
  };
  const router = createReplyRouter({
    registry,
    logger: pino({ level: 'silent' }),
    loadContext: async () => {
      reads += 1;
      return full;
    },
  });
  const reply = (over: Partial<Parameters<typeof router.deliver>[0]> = {}) =>
    router.deliver({ leadId: 'lead-1', channel: 'web', text: 'hello', idempotencyKey: 'k', inReplyTo: [], ...over });
  return { reply, sent, reads: () => reads, context: full };
}

describe('reply router', () => {
  it('answers on the channel of the newest answered message, with one read handed to the sender', async () => {
    const t = setup({ answeredChannel: 'sms' });
    expect(await t.reply()).toMatchObject({ channel: 'sms', status: 'sent', providerId: 'sms-1' });
    expect(t.reads()).toBe(1);
    expect(t.sent.sms[0]).toEqual({ idempotencyKey: 'k', content: { kind: 'text', text: 'hello' }, target: t.context });
    expect(t.sent.whatsapp).toHaveLength(0);
  });

  it('falls back to the workflow’s channel when the lead never wrote, and lets a broker pick another', async () => {
    expect(await setup({}).reply({ channel: 'whatsapp' })).toMatchObject({ channel: 'whatsapp' });
    expect(await setup({ answeredChannel: 'sms' }).reply({ viaChannel: 'whatsapp' })).toMatchObject({ channel: 'whatsapp' });
  });

  it('answers a Lead Ads lead on the first configured channel that reaches them', async () => {
    const leadads = { rules: { freeFormWindowMs: null, maxTextLength: 0, providerHandlesOptOut: false, replyVia: ['whatsapp', 'sms'] as Channel[] } };
    expect(await setup({ answeredChannel: 'leadads' }, { leadads }).reply()).toMatchObject({ channel: 'whatsapp' });
    expect(await setup({ answeredChannel: 'leadads' }, { leadads, whatsapp: { configured: false } }).reply()).toMatchObject({ channel: 'sms' });
    expect(await setup({ answeredChannel: 'leadads' }, { leadads, whatsapp: { canReach: () => false } }).reply()).toMatchObject({ channel: 'sms' });
  });

  it('sends nothing after an opt-out but the one confirmation, and none where the provider confirms', async () => {
    const optOut = { at: '2026-12-01T10:00:00Z', messageId: 'stop-1', reenabled: [] as Channel[] };
    const wa = setup({ answeredChannel: 'whatsapp', optOut });
    expect(await wa.reply({ inReplyTo: ['stop-1'] })).toMatchObject({ status: 'sent' });
    expect(await wa.reply({ inReplyTo: [] })).toMatchObject({ status: 'suppressed_opted_out' });
    expect(wa.sent.whatsapp).toHaveLength(1);

    const sms = setup({ answeredChannel: 'sms', optOut }, { sms: { rules: { freeFormWindowMs: null, maxTextLength: 1600, providerHandlesOptOut: true } } });
    expect(await sms.reply({ inReplyTo: ['stop-1'] })).toMatchObject({ status: 'suppressed_opted_out' });
    expect(sms.sent.sms).toHaveLength(0);

    const back = setup({ answeredChannel: 'sms', optOut: { ...optOut, reenabled: ['sms'] } });
    expect(await back.reply()).toMatchObject({ channel: 'sms', status: 'sent' });
    expect(await back.reply({ viaChannel: 'whatsapp' })).toMatchObject({ status: 'suppressed_opted_out' });
  });
});
