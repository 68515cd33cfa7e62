import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Duplex } from 'node:stream';
import express from 'express';
import { createRequestHandler } from '@react-router/express';
import type { ServerBuild } from 'react-router';
import { limitRequestBody, webBodyLimit } from './lib/body-limit.server';
import { baseSecurityHeaders } from './lib/security.server';

// The production web server (React Router's Express adapter, as react-router-serve does, plus
// what it lacks): security headers on every answer including static files, the client's
// address handed to the app from the socket (never from a header the browser could forge,
// unless TRUST_PROXY says a proxy in front sets it), and JSON answers for requests Node
// cannot parse. Usage: node --import tsx web/server.ts [build/web/server/index.js]
const buildFile = path.resolve(process.argv[2] ?? 'build/web/server/index.js');
const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild;
const port = Number(process.env.PORT ?? process.env.WEB_PORT ?? 3001);
// Only production listens beyond this machine unless HOST says otherwise.
const host = process.env.HOST ?? (process.env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');
/** Largest request body the app reads (forms and chat turns are a few kB). */
const bodyLimit = webBodyLimit();

const app = express();
app.disable('x-powered-by');
app.set('trust proxy', process.env.TRUST_PROXY === 'true' || process.env.TRUST_PROXY === '1');
app.use((req, _res, next) => {
  req.headers['x-leadline-client-address'] = req.ip ?? '';
  next();
});
// React Router reads a request body whole before an action sees it: bound it first (web/lib/body-limit.server.ts).
app.use(limitRequestBody(bodyLimit, baseSecurityHeaders));
// Pages get their headers from the root middleware (web/lib/security.server.ts); static files here.
const headers = baseSecurityHeaders();
const setHeaders = (res: express.Response) => void res.set(headers);
const assets = path.resolve(path.dirname(buildFile), '..', 'client');
app.use('/assets', express.static(path.join(assets, 'assets'), { immutable: true, maxAge: '1y', setHeaders }));
app.use(express.static(assets, { maxAge: '1h', index: false, setHeaders }));
app.all('/{*splat}', createRequestHandler({ build, mode: process.env.NODE_ENV }));

const server = app.listen(port, host, () => console.log(`web listening on http://${host}:${port}`));
server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
  if (err.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify({ error: { code: status === 431 ? 'headers_too_large' : 'malformed_request', message: status === 431 ? 'Request headers are too large' : 'The request could not be parsed as HTTP', details: null } });
  socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n\r\n${body}`);
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
