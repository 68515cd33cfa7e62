import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// The load benchmark's stand-in for the outside world's send APIs. It answers as the real
// ones do and timestamps each send by recipient, so reply latency is measured at the moment
// a reply would have left for the lead's phone:
//   POST /{version}/{phone_number_id}/messages            WhatsApp Cloud API (Graph)
//   POST /2010-04-01/Accounts/{sid}/Messages.json         Twilio Messages API
//   POST /bare/send                                       the baseline pipeline

export interface Send {
  to: string;
  at: number;
  via: 'whatsapp' | 'sms' | 'bare';
}

export interface Sink {
  baseUrl: string;
  /** Every send, in arrival order. */
  sends: Send[];
  /** Resolves each waiter when a send to `to` arrives after `after`. */
  firstSendAfter(to: string, after: number): number | undefined;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startSink(): Promise<Sink> {
  const sends: Send[] = [];
  const byRecipient = new Map<string, number[]>();
  let n = 0;
  const record = (to: string, via: Send['via']) => {
    const at = Date.now();
    sends.push({ to, at, via });
    const list = byRecipient.get(to) ?? [];
    list.push(at);
    byRecipient.set(to, list);
  };
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sink');
    if (req.method === 'POST' && /\/messages$/.test(url.pathname)) {
      const body = JSON.parse(raw || '{}') as { to?: string; recipient?: string };
      const to = body.to ?? body.recipient ?? '';
      record(to, 'whatsapp');
      n += 1;
      return json(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.SINK${n}` }] });
    }
    if (req.method === 'POST' && /\/Messages\.json$/.test(url.pathname)) {
      const params = new URLSearchParams(raw);
      const to = (params.get('To') ?? '').replace(/^\+/, '');
      record(to, 'sms');
      n += 1;
      return json(res, 201, { sid: `SM${String(n).padStart(32, '0')}`, status: 'queued', to: params.get('To'), from: params.get('From'), body: params.get('Body') });
    }
    if (req.method === 'POST' && url.pathname === '/bare/send') {
      const body = JSON.parse(raw || '{}') as { to?: string };
      record(body.to ?? '', 'bare');
      return json(res, 200, { ok: true });
    }
    json(res, 404, { error: { code: 'not_found', message: `sink has no ${req.method} ${url.pathname}` } });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sends,
    firstSendAfter(to, after) {
      return byRecipient.get(to)?.find((t) => t >= after);
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
