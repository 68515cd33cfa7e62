import type { Middleware } from 'koa';

/** The API answers JSON and event streams only: nothing of it may run, be framed or be sniffed. */
export function apiSecurityHeaders(production: boolean): Record<string, string> {
  return {
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-site',
    ...(production ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

// Set before anything runs, so error answers and streamed responses carry them too.
export function securityHeaders(production: boolean): Middleware {
  const headers = apiSecurityHeaders(production);
  return async (ctx, next) => {
    ctx.set(headers);
    await next();
  };
}
