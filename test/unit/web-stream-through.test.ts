import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamThrough } from '../../web/lib/stream-through.server';

// A real upstream event stream (what the API's GET /events is to the web server), read with
// fetch as web/lib/api.server does.
let server: Server;
let url = '';
const open: ServerResponse[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
    open.push(res);
    // /reset: the upstream dies by itself, nobody aborted anything.
    if (req.url === '/reset') setTimeout(() => res.destroy(), 50);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise((r) => server.close(r));
});

async function readAll(stream: ReadableStream<Uint8Array>, onFirst: () => void): Promise<string> {
  const reader = stream.getReader();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    if (!text) onFirst();
    text += new TextDecoder().decode(value);
  }
}

describe('streamThrough (web event streams)', () => {
  it('ends the stream quietly when the browser goes (its request aborted)', async () => {
    const browser = new AbortController();
    const upstream = await fetch(`${url}/events`, { signal: browser.signal });
    // Without the wrapper, the same abort errors the body: the error Vite's dev server shows.
    const bare = await fetch(`${url}/events`, { signal: browser.signal });
    const text = await readAll(streamThrough(upstream.body!, browser.signal), () => browser.abort());
    expect(text).toBe('data: one\n\n');
    await expect(readAll(bare.body!, () => undefined)).rejects.toThrow(/abort/i);
  });

  it('still fails when the upstream fails on its own', async () => {
    const browser = new AbortController();
    const upstream = await fetch(`${url}/reset`, { signal: browser.signal });
    await expect(readAll(streamThrough(upstream.body!, browser.signal), () => undefined)).rejects.toThrow();
    expect(browser.signal.aborted).toBe(false);
  });
});
