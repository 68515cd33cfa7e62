import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake does with one request, its body already read in full. */
type FakeRequestHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => unknown;

interface HttpFake {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The plumbing every protocol fake shares: a server on a free loopback port that reads each
 * request body whole before the handler sees it, and a close that also drops keep-alive
 * connections (a client library's agent would otherwise hold the close open). A handler that
 * throws answers 500, so a bug in a fake fails the test that hit it instead of hanging it.
 */
export async function startHttpFake(handle: FakeRequestHandler): Promise<HttpFake> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve()
        .then(() => handle(req, res, Buffer.concat(chunks)))
        .catch((err: unknown) => {
          if (res.headersSent) return res.destroy();
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(err instanceof Error ? err.message : String(err));
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A JSON answer; a string payload is sent as it is (to answer with a body a real service sent). */
export function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}
