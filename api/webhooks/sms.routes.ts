import type { Redis } from 'ioredis';
import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Context } from 'koa';
import type { ChannelRegistry } from '../../channels/channel.registry';
import { SMS_HELP_REPLY, smsTwiml } from '../../channels/sms/sms.channel';
import { detectOptOut } from '../../domain/opt-out.detector';
import { failedItemsNote, processInboundBatch } from '../../intake/inbound-batch.intake';
import type { LeadIntake } from '../../intake/lead.intake';
import type { Env } from '../../lib/env';
import type { Metrics } from '../metrics';
import { ingestReceived, receiveChannelWebhook, type WebhookEdge } from './channel-webhook';

// Twilio's messaging webhooks: incoming messages (POST /webhooks/sms) and status callbacks of
// our replies (POST /webhooks/sms/status), both signed with X-Twilio-Signature. Both parse
// into the same batch, so one handler serves them. HELP is answered here in TwiML; STOP and
// START go through the intake like every message (the intake records the opt-out).
export function smsRoutes(deps: { orm: MikroORM; redis: Redis; channels: ChannelRegistry; intake: LeadIntake; env: Env; metrics: Metrics; edge: WebhookEdge }) {
  const router = new Router();
  const sms = deps.channels.sms;
  const inbound = sms.inbound!;

  const receive = async (ctx: Context) => {
    const received = await receiveChannelWebhook(ctx, inbound, deps);
    const { event, events, batch, outcome } = received;
    for (const skipped of batch.skipped) ctx.state.log.warn({ eventId: event.id, reason: skipped.reason, providerId: skipped.providerId }, 'sms item skipped');
    const help = batch.messages.filter((m) => detectOptOut(m.message.text) === 'help');
    const messages = batch.messages.filter((m) => !help.includes(m));
    const { providerIds, failed } = await ingestReceived(received, () =>
      processInboundBatch(
        { orm: deps.orm, redis: deps.redis, intake: deps.intake, env: deps.env, logger: ctx.state.log.child({ eventId: event.id }) },
        'sms',
        { ...batch, messages },
        { providerHandlesOptOut: sms.rules.providerHandlesOptOut },
      ),
    );
    const handled = messages.length + batch.statuses.length + help.length;
    await events.finish(event, handled > 0 ? 'processed' : 'skipped', { providerIds: [...providerIds, ...help.map((m) => m.message.providerId)], ...(failed.length > 0 && { error: failedItemsNote(failed) }) });
    outcome(handled > 0 ? 'processed' : 'skipped');
    // Twilio reads the answer as TwiML: empty, or the help text sent straight back.
    ctx.type = 'text/xml';
    ctx.body = smsTwiml(help.length > 0 ? [SMS_HELP_REPLY] : []);
  };

  router.post('/webhooks/sms', receive);
  router.post('/webhooks/sms/status', receive);
  return router;
}
