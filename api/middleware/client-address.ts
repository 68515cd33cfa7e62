import type { Context } from 'koa';
import type Koa from 'koa';

// Who is calling, for rate limits. Without TRUST_PROXY it is the socket's peer: X-Forwarded-For
// is ignored, since any client can write it. With TRUST_PROXY, only the entries our own proxies
// appended count: Koa reads X-Forwarded-For from the right, and maxIpsCount (TRUST_PROXY_HOPS)
// stops it before the entries a client wrote itself, so a forged header cannot pick its bucket.
export function configureClientAddress(app: Koa, env: { TRUST_PROXY: boolean; TRUST_PROXY_HOPS: number }): void {
  app.proxy = env.TRUST_PROXY;
  app.maxIpsCount = env.TRUST_PROXY ? env.TRUST_PROXY_HOPS : 0;
}

export function clientAddress(ctx: Context): string {
  return ctx.ip || ctx.req.socket.remoteAddress || 'unknown';
}
