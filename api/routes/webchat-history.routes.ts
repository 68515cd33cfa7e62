import type Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import { SessionEntity } from '../../db/entities';
import { WebChatHistoryRepository } from '../../db/webchat-history.repository';
import { WebChatHistory } from '../../domain/webchat-history.schema';
import { AppError } from '../../lib/errors';
import { hashSessionKey, SESSION_HEADER, sessionKeyOf } from './webchat-session';

// A reload must not wipe the visible conversation while the session carries on: the chat page
// asks for the session's messages again. Only the key's holder sees them, and only what was
// said since the session began (a verified number may join an older lead with other history).

const HISTORY_LIMIT = 200;

export function registerChatHistory(router: Router, deps: { orm: MikroORM }) {
  router.get('/agent/session/messages', async (ctx) => {
    const key = sessionKeyOf(ctx);
    if (!key) throw new AppError('session_required', 401, `Send the session key in ${SESSION_HEADER}`);
    const em = deps.orm.em.fork();
    const session = await em.findOne(SessionEntity, { keyHash: hashSessionKey(key), expiresAt: { $gt: new Date() } });
    if (!session) throw new AppError('invalid_session', 401, 'Unknown or expired session');
    const rows = session.lead ? await new WebChatHistoryRepository(em).messages({ leadId: session.lead.id, since: session.createdAt }, HISTORY_LIMIT) : [];
    ctx.set('Cache-Control', 'no-store');
    ctx.body = WebChatHistory.parse({
      messages: rows.map((r) => ({
        id: r.id,
        from: r.direction === 'in' ? 'me' : r.actor === 'broker' ? 'broker' : 'agent',
        text: r.body ?? '',
        at: new Date(r.created_at).toISOString(),
      })),
    });
  });
}
