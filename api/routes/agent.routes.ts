import Router from '@koa/router';
import { randomBytes, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Logger } from 'pino';
import { z } from 'zod';
import { SessionEntity } from '../../db/entities';
import { LeadRepository } from '../../db/lead.repository';
import type { InboundMessage } from '../../domain/inbound-message.schema';
import { Market } from '../../domain/profile.schema';
import { AppError, badRequest } from '../../lib/errors';
import type { Env } from '../../lib/env';
import { decodeLeadEvent, leadEventsChannel } from '../../lib/lead-events.channel';
import { readJson } from '../middleware/raw-body';
import { createRateLimit } from '../middleware/rate-limit';
import type { LeadIntake } from '../../intake/lead.intake';
import { marketForPhone } from '../../intake/market.resolver';
import type { ChannelRegistry } from '../../channels/channel.registry';
import { clientAddress } from '../middleware/client-address';
import { registerNumberVerification } from './webchat-verify.routes';
import { registerChatHistory } from './webchat-history.routes';
import { respondWithEventStream } from './event-stream';
import { hashSessionKey, SESSION_HEADER, sessionKeyOf } from './webchat-session';

// Web chat: a session per browser (only a hash of its key is stored, and always a contact of its
// own: a typed number is proven first, webchat-verify.routes.ts), and one turn per POST
// whose reply streams back as Server-Sent Events. The reply is published on the lead's Redis
// channel by whichever worker delivered it, so any API instance can serve the stream.

export const CreateSessionBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    phone: z.string().trim().min(4).max(40).optional(),
    email: z.email().max(254).optional(),
    market: Market.optional(),
  })
  .strict();

export const TurnBody = z
  .object({
    text: z.string().trim().min(1).max(4000),
    /** Chosen by the browser per message; a retry with the same id is the same message. */
    clientMessageId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'letters, digits and _ . : - only, at most 100'),
    sessionKey: z.string().min(1).max(200).optional(),
  })
  .strict();

/** The pause between the words of a reply the agent did not stream, and the most the whole reply may take. */
const CHUNK_PAUSE_MS = 35;
const STREAM_BUDGET_MS = 1500;

export function agentRoutes(deps: { orm: MikroORM; redis: Redis; intake: LeadIntake; env: Env; logger: Logger; channels: ChannelRegistry }) {
  const router = new Router();
  const hub = createLeadEventHub(deps.redis, deps.logger);
  const turnLimit = createRateLimit(deps.redis, { name: 'webchat-turn', points: deps.env.WEBCHAT_RATE_LIMIT_POINTS, durationSeconds: deps.env.WEBCHAT_RATE_LIMIT_WINDOW_S });
  const sessionLimit = createRateLimit(deps.redis, { name: 'webchat-session', points: deps.env.WEBCHAT_SESSIONS_PER_HOUR, durationSeconds: 3600 });
  const addressTurnLimit = createRateLimit(deps.redis, { name: 'webchat-turn-address', points: deps.env.WEBCHAT_TURNS_PER_ADDRESS_PER_MINUTE, durationSeconds: 60 });
  registerNumberVerification(router, deps);
  registerChatHistory(router, deps);

  router.post('/agent/session', async (ctx) => {
    const parsed = CreateSessionBody.safeParse(await readJson(ctx, 16 * 1024));
    if (!parsed.success) throw badRequest('Invalid session request', z.treeifyError(parsed.error));
    await sessionLimit.consume(ctx, `ip:${clientAddress(ctx)}`);
    const body = parsed.data;
    let phone: string | null = null;
    if (body.phone) {
      const number = parsePhoneNumberFromString(body.phone, (body.market ?? deps.env.DEFAULT_MARKET) as CountryCode);
      if (!number || !number.isValid()) throw badRequest('phone is not a valid phone number', { phone: ['not a valid phone number'] });
      phone = number.number;
    }
    const market = body.market ?? marketForPhone(phone, deps.env.DEFAULT_MARKET);
    const em = deps.orm.em.fork();
    // A typed phone or e-mail proves nothing: the session gets a contact of its own, and the
    // number joins it to the person who owns it only once a code sent there comes back
    // (POST /agent/verify), so nobody reaches someone else's lead by typing their number.
    const contact = await new LeadRepository(em).resolveContact({ name: body.name ?? null, market });
    const key = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + deps.env.WEBCHAT_SESSION_TTL_DAYS * 24 * 3600 * 1000);
    const session = em.create(SessionEntity, {
      id: randomUUID(),
      keyHash: hashSessionKey(key),
      contact,
      lead: null,
      market,
      claimedPhone: phone,
      claimedEmail: body.email?.toLowerCase() ?? null,
      verifiedAt: null,
      expiresAt,
    });
    await em.flush();
    ctx.status = 201;
    ctx.body = { sessionId: session.id, sessionKey: key, expiresAt: expiresAt.toISOString(), phoneVerification: phone ? 'required' : null };
  });

  router.post('/agent/turn', async (ctx) => {
    const parsed = TurnBody.safeParse(await readJson(ctx, 64 * 1024));
    if (!parsed.success) throw badRequest('Invalid turn', z.treeifyError(parsed.error));
    const { text, clientMessageId } = parsed.data;
    const key = sessionKeyOf(ctx) ?? parsed.data.sessionKey;
    if (!key) throw new AppError('session_required', 401, `Send the session key in ${SESSION_HEADER} (POST /agent/session creates one)`);
    const em = deps.orm.em.fork();
    const session = await em.findOne(SessionEntity, { keyHash: hashSessionKey(key), expiresAt: { $gt: new Date() } });
    if (!session?.contact) throw new AppError('invalid_session', 401, 'Unknown or expired session');
    const contactId = session.contact.id;
    // Per session and per address: never one bucket every visitor shares.
    await turnLimit.consume(ctx, `session:${session.id}`);
    await addressTurnLimit.consume(ctx, `ip:${clientAddress(ctx)}`);

    const prepared = await deps.intake.prepare({ contactId }, 'web');
    const leadId = prepared.lead.id;
    if (session.lead?.id !== leadId) {
      await em.nativeUpdate(SessionEntity, { id: session.id }, { lead: leadId });
    }
    // Namespaced by session: provider ids are unique across all channels and leads.
    const providerId = `${session.id}:${clientMessageId}`;
    const message: InboundMessage = { providerId, channel: 'web', kind: 'text', text, receivedAt: new Date().toISOString() };

    const stream = new PassThrough();
    const send = (event: string, data: unknown) => {
      if (!stream.writableEnded) stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    let streamed = false;
    let finished = false;
    const cleanup: { unsubscribe?: () => Promise<void>; timer?: NodeJS.Timeout } = {};
    const finish = () => {
      if (finished) return;
      finished = true;
      if (cleanup.timer) clearTimeout(cleanup.timer);
      void cleanup.unsubscribe?.();
      stream.end();
    };
    let replying = false;
    const onReply = async (reply: { text: string; status?: string }) => {
      if (replying) return;
      replying = true;
      if (cleanup.timer) clearTimeout(cleanup.timer);
      // The agent hands over its reply whole; sent at once, the page would show it in one frame.
      // Word by word with a short pause, it reads as typed (the whole reply within about 1.5 s).
      if (!streamed) {
        const chunks = wordChunks(reply.text);
        const pause = Math.min(CHUNK_PAUSE_MS, Math.floor(STREAM_BUDGET_MS / Math.max(1, chunks.length)));
        for (const [i, chunk] of chunks.entries()) {
          if (finished) return;
          if (i > 0 && pause > 0) await new Promise((r) => setTimeout(r, pause));
          send('chunk', { text: chunk });
        }
      }
      send('turn', { text: reply.text, status: reply.status ?? null, clientMessageId });
      finish();
    };

    // Subscribed before the signal: a fast reply cannot be published before we listen.
    const unsubscribe = await hub.subscribe(leadId, (raw) => {
      if (finished) return;
      const event = decodeLeadEvent(raw);
      if ((event?.type !== 'chunk' && event?.type !== 'reply') || !event.inReplyTo.includes(providerId)) return;
      if (event.type === 'chunk') {
        if (!event.text) return;
        streamed = true;
        send('chunk', { text: event.text });
      } else {
        void onReply({ text: event.text, ...(event.status && { status: event.status }) });
      }
    });
    cleanup.unsubscribe = unsubscribe;
    let duplicate: boolean;
    try {
      duplicate = (await deps.intake.deliver(prepared, { channel: 'web', message, source: { channel: 'web' } })).duplicate;
    } catch (err) {
      await unsubscribe();
      throw err;
    }

    respondWithEventStream(ctx, stream, finish);
    send('accepted', { clientMessageId, duplicate });
    cleanup.timer = setTimeout(() => {
      send('error', { code: 'timeout', message: `No reply within ${Math.round(deps.env.WEBCHAT_REPLY_TIMEOUT_MS / 1000)} s; it will appear in the conversation when ready` });
      finish();
    }, deps.env.WEBCHAT_REPLY_TIMEOUT_MS);

    if (duplicate) {
      // A retried POST: the reply may have been published before this request listened.
      const prior = await new LeadRepository(deps.orm.em.fork()).replyAfter(leadId, providerId);
      if (prior && !finished) void onReply({ text: prior.body, ...(prior.deliveryStatus && { status: prior.deliveryStatus }) });
    }
  });

  return router;
}

/** Words with their trailing whitespace: the chunks concatenate back to the exact text. */
export function wordChunks(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/**
 * One Redis subscriber connection per API process, fanned out to the open streams; it is
 * opened on the first stream and closed when the last one ends.
 */
function createLeadEventHub(redis: Redis, logger: Logger) {
  let subscriber: Redis | null = null;
  const listeners = new Map<string, Set<(message: string) => void>>();

  return {
    async subscribe(leadId: string, listener: (message: string) => void): Promise<() => Promise<void>> {
      const channel = leadEventsChannel(leadId);
      if (!subscriber) {
        subscriber = redis.duplicate();
        subscriber.on('message', (ch: string, message: string) => {
          for (const l of listeners.get(ch) ?? []) l(message);
        });
        subscriber.on('error', (err: Error) => logger.warn({ err }, 'lead event subscriber error'));
      }
      const sub = subscriber;
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
      }
      set.add(listener);
      await sub.subscribe(channel);
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        set.delete(listener);
        if (set.size === 0 && listeners.get(channel) === set) {
          listeners.delete(channel);
          await sub.unsubscribe(channel).catch(() => undefined);
        }
        if (listeners.size === 0 && subscriber === sub) {
          subscriber = null;
          sub.disconnect();
        }
      };
    },
  };
}
