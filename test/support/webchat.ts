import { randomUUID } from 'node:crypto';

// Web chat as a browser (through the web app) drives it: a session, then turns whose replies
// stream back as Server-Sent Events.

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export async function readSse(res: Response): Promise<SseEvent[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block.length > 0 && !block.startsWith(':'))
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

export async function createSession(baseUrl: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}/agent/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`session: ${res.status} ${await res.text()}`);
  return (await res.json()) as { sessionId: string; sessionKey: string; expiresAt: string; phoneVerification: string | null };
}

export const turn = (baseUrl: string, sessionKey: string, text: string, clientMessageId = randomUUID()) =>
  fetch(`${baseUrl}/agent/turn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-session-key': sessionKey },
    body: JSON.stringify({ text, clientMessageId }),
  });

/** One turn and its final reply text (or the error event's). */
export async function chat(baseUrl: string, sessionKey: string, text: string): Promise<{ status: number; reply: string | null; events: SseEvent[] }> {
  const res = await turn(baseUrl, sessionKey, text);
  if (res.status !== 200) return { status: res.status, reply: null, events: [] };
  const events = await readSse(res);
  const final = events.find((e) => e.event === 'turn');
  return { status: res.status, reply: typeof final?.data.text === 'string' ? final.data.text : null, events };
}
