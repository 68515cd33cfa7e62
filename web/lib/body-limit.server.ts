import type { IncomingMessage, ServerResponse } from 'node:http';

// React Router reads a request body whole before an action sees it, so a web server in front of
// it bounds the body first (#12: a 300 MB post took the server to 1.35 GB). Node's parser never
// delivers more than Content-Length, so a declared length within the limit is a promise kept; a
// body without one (chunked) is refused, since browsers always declare theirs. Plain Node
// middleware, so the production server (Express, web/server.ts) and the dev server (Vite's
// Connect stack, vite.config.ts) share it.

type Next = (err?: unknown) => void;

export function limitRequestBody(limit: number, headers: () => Record<string, string> = () => ({ 'X-Content-Type-Options': 'nosniff' })) {
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const declared = req.headers['content-length'];
    const refuse = (status: number, code: string, message: string) => {
      // The body is never read: once the answer is out, the connection goes with it.
      res.once('finish', () => req.socket.destroy());
      const body = JSON.stringify({ error: { code, message, details: { limit } } });
      res.writeHead(status, { ...headers(), 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' });
      res.end(body);
    };
    if (declared === undefined) {
      if (req.headers['transfer-encoding']) return refuse(411, 'length_required', 'Send the body with a Content-Length');
      return next();
    }
    if (!/^\d+$/.test(declared) || Number(declared) > limit) return refuse(413, 'payload_too_large', `Body exceeds ${limit} bytes`);
    next();
  };
}

/** The limit both servers use: WEB_BODY_LIMIT_BYTES (lib/env.ts), 1 MiB by default. */
export const webBodyLimit = () => Number(process.env.WEB_BODY_LIMIT_BYTES ?? 1024 * 1024);
