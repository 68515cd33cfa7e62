import { createHmac } from 'node:crypto';

// Open-loop load: new leads arrive at a fixed rate whatever the system's speed (a campaign
// does not wait for us), each lead's later turns follow its previous reply.

export interface TurnResult {
  lead: number;
  turn: number;
  postedAt: number;
  ackMs: number;
  ackStatus: number;
  replyMs?: number;
}

export interface Target {
  /** Posts one inbound message; resolves with the HTTP status. */
  post(to: string, text: string, leadIndex: number): Promise<number>;
  firstSendAfter(to: string, after: number): number | undefined;
}

export interface DriveOptions {
  rate: number;
  durationS: number;
  turns: (lead: number) => number;
  thinkMs: number;
  replyTimeoutMs: number;
  phoneBase: number;
  text: (lead: number, turn: number) => string;
}

/** The WhatsApp number of lead `lead` of a phase whose numbers start at `phoneBase`. */
export const leadPhone = (phoneBase: number, lead: number) => `9715${String(phoneBase + lead).padStart(8, '0')}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitReply(target: Target, to: string, after: number, timeoutMs: number): Promise<number | undefined> {
  const until = after + timeoutMs;
  for (;;) {
    const at = target.firstSendAfter(to, after);
    if (at !== undefined) return at;
    if (Date.now() > until) return undefined;
    await sleep(20);
  }
}

export async function drive(target: Target, o: DriveOptions): Promise<TurnResult[]> {
  const results: TurnResult[] = [];
  const leads = Math.round(o.rate * o.durationS);
  const start = Date.now();
  const running: Promise<void>[] = [];
  for (let lead = 0; lead < leads; lead++) {
    const due = start + (lead * 1000) / o.rate;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    running.push(
      (async () => {
        const to = leadPhone(o.phoneBase, lead);
        for (let turn = 0; turn < o.turns(lead); turn++) {
          const postedAt = Date.now();
          let ackStatus = 0;
          try {
            ackStatus = await target.post(to, o.text(lead, turn), lead);
          } catch {
            ackStatus = -1;
          }
          const ackMs = Date.now() - postedAt;
          const replyAt = await waitReply(target, to, postedAt, o.replyTimeoutMs);
          results.push({ lead, turn, postedAt, ackMs, ackStatus, ...(replyAt !== undefined && { replyMs: replyAt - postedAt }) });
          if (replyAt === undefined) break;
          await sleep(o.thinkMs);
        }
      })(),
    );
  }
  await Promise.all(running);
  return results;
}

export function signedWhatsAppPost(apiUrls: string[], secret: string) {
  let n = 0;
  return async (to: string, text: string, leadIndex: number): Promise<number> => {
    n += 1;
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                contacts: [{ profile: { name: `Bench Lead ${leadIndex}` }, wa_id: to }],
                messages: [{ from: to, id: `wamid.BENCH${process.pid}x${n}x${to}`, timestamp: String(now), type: 'text', text: { body: text } }],
              },
            },
          ],
        },
      ],
    });
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const res = await fetch(`${apiUrls[leadIndex % apiUrls.length]}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  };
}

export function barePost(bareUrl: string) {
  return async (to: string): Promise<number> => {
    const res = await fetch(`${bareUrl}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to }) });
    await res.arrayBuffer();
    return res.status;
  };
}

export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Spearman's rank correlation between post order and reply order (1: replies in arrival order). */
export function orderCorrelation(results: TurnResult[]): number | undefined {
  const done = results.filter((r) => r.replyMs !== undefined && r.turn === 0);
  if (done.length < 3) return undefined;
  const byPost = [...done].sort((a, b) => a.postedAt - b.postedAt);
  const rankReply = new Map([...done].sort((a, b) => a.postedAt + a.replyMs! - (b.postedAt + b.replyMs!)).map((r, i) => [r, i]));
  const n = done.length;
  const d2 = byPost.reduce((s, r, i) => s + (i - rankReply.get(r)!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}
