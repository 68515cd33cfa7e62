import { randomBytes } from 'node:crypto';
import { createContext, type MiddlewareFunction } from 'react-router';

export const nonceContext = createContext<string>('');

const production = () => process.env.NODE_ENV === 'production';

/** Headers every answer of the web app carries (the server sets them on static files too). */
export function baseSecurityHeaders(): Record<string, string> {
  return {
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    ...(production() ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** Scripts only by this response's nonce (and what they load); inline style attributes are allowed. */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    // The dev server's hot reload talks over a websocket.
    production() ? "connect-src 'self'" : "connect-src 'self' ws: wss:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: a state-changing request must say where it comes from (every
 * browser sends Origin on a POST) and that must be this app. A request without Origin is
 * refused too: that is what a forged request from outside a browser looks like.
 */
export function isSameOrigin(request: Request): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return true;
  const origin = request.headers.get('origin');
  if (!origin || origin === 'null') return false;
  try {
    const from = new URL(origin);
    const self = new URL(request.url);
    if (from.host === self.host) return true;
    const configured = process.env.WEB_URL ? new URL(process.env.WEB_URL) : null;
    return configured !== null && from.origin === configured.origin;
  } catch {
    return false;
  }
}

function withHeaders(res: Response, headers: Record<string, string>): Response {
  try {
    for (const [k, v] of Object.entries(headers)) if (!res.headers.has(k)) res.headers.set(k, v);
    return res;
  } catch {
    // Some responses (Response.redirect) have immutable headers: copy them.
    const copy = new Response(res.body, { status: res.status, statusText: res.statusText, headers: res.headers });
    for (const [k, v] of Object.entries(headers)) if (!copy.headers.has(k)) copy.headers.set(k, v);
    return copy;
  }
}

/** Root middleware: a nonce per response, the security headers, and the same-origin check on forms. */
export const securityMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const nonce = randomBytes(16).toString('base64');
  context.set(nonceContext, nonce);
  const headers = { ...baseSecurityHeaders(), 'Content-Security-Policy': contentSecurityPolicy(nonce) };
  if (!isSameOrigin(request)) {
    const body = { error: { code: 'cross_site_request', message: 'This form was not sent from the Leadline app (missing or foreign Origin header)', details: null } };
    return withHeaders(Response.json(body, { status: 403 }), headers);
  }
  return withHeaders(await next(), headers);
};
