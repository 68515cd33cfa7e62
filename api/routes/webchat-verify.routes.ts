import type Router from '@koa/router';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Logger } from 'pino';
import { z } from 'zod';
import { channelAdapter, type ChannelRegistry } from '../../channels/channel.registry';
import { ContactEntity, SessionEntity, type SessionRow } from '../../db/entities';
import { SuppressionRepository } from '../../db/suppression.repository';
import type { Channel } from '../../domain/profile.schema';
import { AppError, badRequest } from '../../lib/errors';
import { suppressionKey, type Env } from '../../lib/env';
import { suppressionHashes } from '../../lib/suppression';
import { clientAddress } from '../middleware/client-address';
import { readJson } from '../middleware/raw-body';
import { createRateLimit } from '../middleware/rate-limit';
import { hashSessionKey, SESSION_HEADER, sessionKeyOf } from './webchat-session';

// Proving a number in web chat: a one-time code goes to the number over SMS (or WhatsApp), and
// only the person who reads it there can join this chat to that number's contact and lead.
// Until then the session is its own contact (agent.routes.ts). Redis keeps the code's HMAC, the
// number's HMAC and the wrong tries, never the number or the code; the number the visitor typed
// stays on their session row. Codes are limited per number, per session and per address.

export const StartVerificationBody = z.object({ phone: z.string().trim().min(4).max(40).optional() }).strict();
export const VerifyBody = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'six digits') }).strict();

interface PendingCode {
  codeMac: string;
  phoneMac: string;
  attempts: number;
}

const pendingKey = (sessionId: string) => `webchat-verify:${sessionId}`;

export function registerNumberVerification(router: Router, deps: { orm: MikroORM; redis: Redis; env: Env; logger: Logger; channels: ChannelRegistry }) {
  const hmacKey = suppressionKey(deps.env);
  const mac = (value: string) => createHmac('sha256', hmacKey).update(value).digest('hex');
  const perNumber = createRateLimit(deps.redis, { name: 'webchat-verify-number', points: deps.env.WEBCHAT_VERIFY_SENDS_PER_HOUR, durationSeconds: 3600 });
  const perSession = createRateLimit(deps.redis, { name: 'webchat-verify-session', points: 5, durationSeconds: 3600 });
  const perAddress = createRateLimit(deps.redis, { name: 'webchat-verify-address', points: 20, durationSeconds: 3600 });
  const ttlSeconds = deps.env.WEBCHAT_VERIFY_CODE_TTL_MINUTES * 60;

  async function sessionOf(ctx: Context, em = deps.orm.em.fork()): Promise<SessionRow> {
    const key = sessionKeyOf(ctx);
    if (!key) throw new AppError('session_required', 401, `Send the session key in ${SESSION_HEADER} (POST /agent/session creates one)`);
    const session = await em.findOne(SessionEntity, { keyHash: hashSessionKey(key), expiresAt: { $gt: new Date() } }, { populate: ['contact'] });
    if (!session?.contact) throw new AppError('invalid_session', 401, 'Unknown or expired session');
    return session;
  }

  /** The first configured channel that can carry a code to a phone: SMS, then WhatsApp. */
  function codeChannel(): Channel | null {
    for (const name of ['sms', 'whatsapp'] as const) if (channelAdapter(deps.channels, name).configured) return name;
    return null;
  }

  router.post('/agent/verify/start', async (ctx) => {
    const parsed = StartVerificationBody.safeParse(await readJson(ctx, 4 * 1024));
    if (!parsed.success) throw badRequest('Invalid request', z.treeifyError(parsed.error));
    const em = deps.orm.em.fork();
    const session = await sessionOf(ctx, em);
    const typed = parsed.data.phone ?? session.claimedPhone;
    if (!typed) throw badRequest('Say which phone number to verify (phone)', { phone: ['required'] });
    const number = parsePhoneNumberFromString(typed, session.market as CountryCode);
    if (!number || !number.isValid()) throw badRequest('phone is not a valid phone number', { phone: ['not a valid phone number'] });
    const phone = number.number;
    const via = codeChannel();
    if (!via) throw new AppError('verification_unavailable', 503, 'Numbers cannot be verified here (no SMS or WhatsApp sender is configured)');
    // A person who said STOP (or was erased after it) gets nothing from us, codes included.
    const owner = await em.findOne(ContactEntity, { $or: [{ phone }, { waId: phone.slice(1) }] });
    const suppressed = await new SuppressionRepository(em).anyOf(suppressionHashes(hmacKey, { phone }).map((h) => h.hash));
    if (owner?.optedOutAt || suppressed) throw new AppError('opted_out', 409, 'This number asked not to be contacted');
    await perSession.consume(ctx, `session:${session.id}`);
    await perAddress.consume(ctx, `ip:${clientAddress(ctx)}`);
    await perNumber.consume(ctx, `number:${mac(`phone:${phone}`)}`);

    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const pending: PendingCode = { codeMac: mac(`code:${session.id}:${code}`), phoneMac: mac(`phone:${phone}`), attempts: 0 };
    const sent = await channelAdapter(deps.channels, via).send({
      idempotencyKey: `verify:${session.id}:${pending.codeMac.slice(0, 16)}`,
      content: { kind: 'text', text: `${code} is your Leadline verification code. It expires in ${deps.env.WEBCHAT_VERIFY_CODE_TTL_MINUTES} minutes. If you did not ask for it, ignore this message.` },
      target: {
        leadId: `verify-${session.id}`,
        recipient: { contactId: session.contact!.id, name: null, phone, email: null, waId: phone.slice(1), bsuid: null },
        businessAddress: {},
        lastInboundAt: {},
      },
    });
    if (sent.status !== 'sent') {
      deps.logger.warn({ sessionId: session.id, via, status: sent.status }, 'verification code not sent');
      throw new AppError('verification_unavailable', 503, 'The code could not be sent; try again later', { via });
    }
    await deps.redis.set(pendingKey(session.id), JSON.stringify(pending), 'EX', ttlSeconds);
    await em.nativeUpdate(SessionEntity, { id: session.id }, { claimedPhone: phone });
    ctx.status = 202;
    ctx.body = { verification: { status: 'sent', via, expiresInSeconds: ttlSeconds } };
  });

  // Whether this chat proved a number, so the page still says so after a reload. Only the last
  // digits: the page needs no more to remind the visitor which number it was.
  router.get('/agent/verify', async (ctx) => {
    const session = await sessionOf(ctx);
    const pending = session.verifiedAt ? false : (await deps.redis.exists(pendingKey(session.id))) === 1;
    const status = session.verifiedAt ? 'verified' : pending ? 'pending' : 'none';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { verification: { status, phoneEnding: status === 'none' || !session.claimedPhone ? null : session.claimedPhone.slice(-4) } };
  });

  router.post('/agent/verify', async (ctx) => {
    const parsed = VerifyBody.safeParse(await readJson(ctx, 1024));
    if (!parsed.success) throw badRequest('Invalid code', z.treeifyError(parsed.error));
    const em = deps.orm.em.fork();
    const session = await sessionOf(ctx, em);
    const raw = await deps.redis.get(pendingKey(session.id));
    if (!raw || !session.claimedPhone) throw new AppError('code_expired', 410, 'No code is waiting for this chat (it expired or was used); ask for a new one');
    const pending = JSON.parse(raw) as PendingCode;
    if (pending.attempts >= deps.env.WEBCHAT_VERIFY_MAX_ATTEMPTS) {
      await deps.redis.del(pendingKey(session.id));
      throw new AppError('code_expired', 410, 'Too many wrong codes; ask for a new one');
    }
    const expected = Buffer.from(pending.codeMac, 'hex');
    const given = Buffer.from(mac(`code:${session.id}:${parsed.data.code}`), 'hex');
    if (!timingSafeEqual(expected, given) || pending.phoneMac !== mac(`phone:${session.claimedPhone}`)) {
      pending.attempts += 1;
      await deps.redis.set(pendingKey(session.id), JSON.stringify(pending), 'KEEPTTL');
      throw new AppError('wrong_code', 400, 'That code is not right', { attemptsLeft: Math.max(0, deps.env.WEBCHAT_VERIFY_MAX_ATTEMPTS - pending.attempts) });
    }
    await deps.redis.del(pendingKey(session.id));
    const phone = session.claimedPhone;
    // Proven: the chat joins the number's contact (and so its open lead), or the number joins this chat's contact.
    const owner = await em.findOne(ContactEntity, { $or: [{ phone }, { waId: phone.slice(1) }] });
    const merged = owner !== null && owner.id !== session.contact!.id;
    if (merged) {
      await em.nativeUpdate(SessionEntity, { id: session.id }, { contact: owner.id, lead: null, verifiedAt: new Date() });
    } else {
      await em.nativeUpdate(ContactEntity, { id: session.contact!.id, phone: null }, { phone });
      await em.nativeUpdate(SessionEntity, { id: session.id }, { verifiedAt: new Date() });
    }
    ctx.body = { verification: { status: 'verified', joinedExistingContact: merged } };
  });
}
