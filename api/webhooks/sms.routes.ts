import type { Redis } from 'ioredis';
import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Context } from 'koa';
import type { ChannelRegistry } from '../../channels/channel.registry';
import { SMS_HELP_REPLY, smsTwiml } from '../../channels/sms/sms.channel';
import { intakeRecord, processInboundBatch } from '../../intake/inbound-batch.intake';
import { smsIntakeBatch } from '../../intake/sms-batch.intake';
import type { LeadIntake } from '../../intake/lead.intake';
import type { Env } from '../../lib/env';
import type { Metrics } from '../metrics';
import { ingestReceived, receiveChannelWebhook, type WebhookEdge } from './channel-webhook';
import type { InboundHandOn } from './inbound-handon';

// Twilio's messaging webhooks: incoming messages (POST /webhooks/sms) and status callbacks of
// our replies (POST /webhooks/sms/status), both signed with X-Twilio-Signature. Both parse
// into the same batch, so one handler serves them. HELP is answered here in TwiML; STOP and
// START go through the intake like every message (the intake records the opt-out). With
// WEBHOOK_ACK=async (#13) the answer does not wait on Temporal: the event is stored, Twilio gets
// its TwiML, and the intake follows in order per sender (Twilio does not redeliver a webhook
// that timed out, so an instance that dies leaves the event to the hand-on sweep).
export function smsRoutes(deps: { orm: MikroORM; redis: Redis; channels: ChannelRegistry; intake: LeadIntake; env: Env; metrics: Metrics; edge: WebhookEdge; handOn?: InboundHandOn }) {
  const router = new Router();
  const sms = deps.channels.sms;
  const inbound = sms.inbound!;

  const receive = async (ctx: Context) => {
    const received = await receiveChannelWebhook(ctx, inbound, deps);
    const { event, events, batch, outcome } = received;
    for (const skipped of batch.skipped) ctx.state.log.warn({ eventId: event.id, reason: skipped.reason, providerId: skipped.providerId }, 'sms item skipped');
    const { batch: intakeBatch, help } = smsIntakeBatch(batch);
    const twiml = smsTwiml(help.length > 0 ? [SMS_HELP_REPLY] : []);
    const helpIds = help.map((m) => m.message.providerId);
    const intakeOf = (logger: typeof ctx.state.log) =>
      processInboundBatch(
        { orm: deps.orm, redis: deps.redis, intake: deps.intake, env: deps.env, logger: logger.child({ eventId: event.id }) },
        'sms',
        intakeBatch,
        { providerHandlesOptOut: sms.rules.providerHandlesOptOut },
      );
    if (deps.handOn && intakeBatch.messages.length + intakeBatch.statuses.length > 0) {
      const log = ctx.state.log;
      deps.handOn.enqueue({ key: intakeBatch.messages[0]?.identity.phone ?? event.id, source: 'sms', eventId: event.id, intake: async () => intakeRecord(await intakeOf(log), helpIds) });
      outcome('queued');
      ctx.type = 'text/xml';
      ctx.body = twiml;
      return;
    }
    const taken = await ingestReceived(received, () => intakeOf(ctx.state.log));
    const handled = intakeBatch.messages.length + batch.statuses.length + help.length;
    await events.finish(event, handled > 0 ? 'processed' : 'skipped', intakeRecord(taken, helpIds));
    outcome(handled > 0 ? 'processed' : 'skipped');
    // Twilio reads the answer as TwiML: empty, or the help text sent straight back.
    ctx.type = 'text/xml';
    ctx.body = twiml;
  };

  router.post('/webhooks/sms', receive);
  router.post('/webhooks/sms/status', receive);
  return router;
}
