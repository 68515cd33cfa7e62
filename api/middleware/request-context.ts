import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { RequestContext, type MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AppError, errorBody } from '../../lib/errors';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Request id (kept from the caller when sane), a child logger, and one access log line. */
export function requestLogging(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('x-request-id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      ctx.state.log.info(
        { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) },
        'request',
      );
    }
  };
}

/** Every error leaves as { error: { code, message, details } }; unexpected ones as a 500 without internals. */
export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError('not_found', 404, `No route for ${ctx.method} ${ctx.path}`);
      }
      // The router answers a wrong method with a bare status (405 with Allow, 501): give it the envelope too.
      if (ctx.status === 405 && ctx.body == null) {
        throw new AppError('method_not_allowed', 405, `${ctx.method} is not allowed on ${ctx.path}`, { allow: ctx.response.get('allow') || null });
      }
      if (ctx.status === 501 && ctx.body == null) {
        throw new AppError('not_implemented', 501, `The method ${ctx.method} is not implemented`);
      }
    } catch (err) {
      if (err instanceof AppError) {
        ctx.status = err.status;
        ctx.body = errorBody(err);
        return;
      }
      const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
      if (status < 500) {
        ctx.status = status;
        ctx.body = errorBody(new AppError('bad_request', status, (err as Error).message));
        return;
      }
      ctx.state.log?.error({ err }, 'unhandled error');
      ctx.status = 500;
      ctx.body = errorBody(new AppError('internal', 500, 'Something went wrong on our side', { requestId: ctx.state.requestId }));
    }
  };
}

/** One ORM context per request, so identity maps never leak between requests. */
export function ormContext(orm: MikroORM): Middleware {
  return (ctx, next) => RequestContext.create(orm.em, next);
}
