import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { PassThrough } from 'node:stream';
import { SessionRepository } from '../../db/session.repository';
import { respondWithEventStream } from './event-stream';
import { can, type Principal } from '../../domain/access.policy';
import { decodeLeadEvent, isHandoffOffer } from '../../lib/lead-events.channel';
import { AppError } from '../../lib/errors';
import { principal } from '../middleware/auth';

// GET /events: the signed-in user's live feed of lead changes as server-sent events, from the
// Redis event stream the worker publishes (lib/lead-events.channel.ts). Each event names a lead
// and what happened to it (`{ leadId, kinds }`), never its content: the pages re-read what they
// show through the API, with its access rules and filters. A broker hears only about leads they
// may see (the unclaimed pool and their own), checked against the database when the event comes.

const LEAD_CHANNEL = /^lead:([0-9a-f-]{36}):events$/;
/** Events for one lead within this window are sent once, with every kind seen. */
const BATCH_MS = 200;
/** A comment line keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
/** The session is checked again this often: a stream ends with the session it was opened with. */
const SESSION_RECHECK_MS = 60_000;
/** Open streams per user (tabs); one more is refused rather than held. */
const MAX_STREAMS_PER_USER = 8;

/** `offeredTo`: the broker a handoff offer names, so only their stream marks it an offer. */
type Listener = (leadId: string, kind: string, offeredTo: string | null) => void;

/**
 * One Redis pattern subscription per API process, fanned out to the open streams; opened with
 * the first stream and closed with the last.
 */
function createLeadFeed(redis: Redis, logger: Logger) {
  let subscriber: Redis | null = null;
  const listeners = new Set<Listener>();
  return {
    async listen(listener: Listener): Promise<() => void> {
      if (!subscriber) {
        const sub = redis.duplicate();
        subscriber = sub;
        sub.on('pmessage', (_pattern: string, channel: string, message: string) => {
          const leadId = LEAD_CHANNEL.exec(channel)?.[1];
          const event = leadId ? decodeLeadEvent(message) : null;
          // Reply chunks stream a web chat; the lead changes when the whole reply lands.
          if (!leadId || !event || event.type === 'chunk') return;
          const offeredTo = event.type === 'handoff' && isHandoffOffer(event) ? event.brokerId : null;
          for (const l of listeners) l(leadId, event.type, offeredTo);
        });
        sub.on('error', (err: Error) => logger.warn({ err }, 'lead feed subscriber error'));
        await sub.psubscribe('lead:*:events');
      }
      listeners.add(listener);
      const sub = subscriber;
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && subscriber === sub) {
          subscriber = null;
          void sub.punsubscribe().catch(() => undefined);
          sub.disconnect();
        }
      };
    },
  };
}

/** Of these leads, the ones the principal may hear about (and that exist: other tenants' test runs share Redis). */
async function visibleLeads(orm: MikroORM, p: Principal, ids: string[]): Promise<Set<string>> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<Array<{ id: string; owner_id: string | null }>>(`select id, owner_id from leads where id in (${ids.map(() => '?').join(', ')}) and deleted_at is null`, ids);
  const all = can(p, 'leads:see-all');
  return new Set(rows.filter((r) => all || r.owner_id === null || (p.brokerId !== null && r.owner_id === p.brokerId)).map((r) => r.id));
}

export function leadEventsRoutes(deps: { orm: MikroORM; redis: Redis; logger: Logger }) {
  const router = new Router();
  const feed = createLeadFeed(deps.redis, deps.logger);
  const open = new Map<string, number>();

  router.get('/events', async (ctx) => {
    const p = principal(ctx);
    if (!can(p, 'leads:see-all') && !p.brokerId) throw new AppError('forbidden', 403, 'Only brokers, managers and admins follow lead events');
    const count = open.get(p.id) ?? 0;
    if (count >= MAX_STREAMS_PER_USER) throw new AppError('too_many_streams', 429, `At most ${MAX_STREAMS_PER_USER} live streams per user; close a tab`);
    open.set(p.id, count + 1);
    const tokenHash = ctx.state.sessionTokenHash as string | undefined;

    const stream = new PassThrough();
    const write = (chunk: string) => {
      if (!stream.writableEnded) stream.write(chunk);
    };
    const pending = new Map<string, Set<string>>();
    const timers: { batch?: NodeJS.Timeout; heartbeat?: NodeJS.Timeout; recheck?: NodeJS.Timeout } = {};
    let closed = false;
    let stopListening: (() => void) | undefined;
    const close = () => {
      if (closed) return;
      closed = true;
      for (const t of Object.values(timers)) clearTimeout(t);
      stopListening?.();
      open.set(p.id, (open.get(p.id) ?? 1) - 1);
      if ((open.get(p.id) ?? 0) <= 0) open.delete(p.id);
      stream.end();
    };

    const flush = async () => {
      timers.batch = undefined;
      const batch = [...pending.entries()];
      pending.clear();
      if (closed || batch.length === 0) return;
      try {
        const visible = await visibleLeads(deps.orm, p, batch.map(([id]) => id));
        for (const [leadId, kinds] of batch) {
          if (visible.has(leadId)) write(`event: lead\ndata: ${JSON.stringify({ leadId, kinds: [...kinds] })}\n\n`);
        }
      } catch (err) {
        deps.logger.warn({ err }, 'lead feed: visibility check failed; events dropped');
      }
    };

    try {
      stopListening = await feed.listen((leadId, kind, offeredTo) => {
        const kinds = pending.get(leadId) ?? new Set<string>();
        kinds.add(kind);
        // "offer" means offered to you: the broker app's toast and browser notification.
        if (offeredTo !== null && offeredTo === p.brokerId) kinds.add('offer');
        pending.set(leadId, kinds);
        timers.batch ??= setTimeout(() => void flush(), BATCH_MS);
      });
    } catch (err) {
      close();
      throw err;
    }

    timers.heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
    if (tokenHash) {
      timers.recheck = setInterval(() => {
        new SessionRepository(deps.orm.em.fork())
          .userFor(tokenHash)
          .then((found) => {
            if (!found) close();
          })
          .catch(() => undefined);
      }, SESSION_RECHECK_MS);
    }

    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    respondWithEventStream(ctx, stream, close);
    // How long a browser waits before reconnecting, and a first line so the client knows it is live.
    write(`retry: 3000\nevent: ready\ndata: {}\n\n`);
  });

  return router;
}
