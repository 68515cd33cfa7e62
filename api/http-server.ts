import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import { apiSecurityHeaders } from './middleware/security-headers';

// Node answers requests it cannot parse (oversized headers, malformed request lines) itself,
// before Koa sees them, with an empty body. This writes the error envelope instead.
export function clientErrorResponse(err: NodeJS.ErrnoException, production: boolean): string {
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    error: tooLarge
      ? { code: 'headers_too_large', message: 'Request headers are too large', details: null }
      : { code: 'malformed_request', message: 'The request could not be parsed as HTTP', details: null },
  });
  const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close', ...apiSecurityHeaders(production) };
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

export function createApiServer(app: Koa, production: boolean): Server {
  const server = createServer(app.callback());
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or timed-out connection has nobody left to answer.
    if (err.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    socket.end(clientErrorResponse(err, production));
  });
  return server;
}
