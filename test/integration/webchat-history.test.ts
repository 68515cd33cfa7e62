import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness';

// Issue 15, point 8: a reloaded chat page asks the API for the session's conversation. Only the
// key's holder gets it, and only what was said in that session.

describe('web chat history: GET /agent/session/messages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const session = async () =>
    ((await (await fetch(`${h.baseUrl}/agent/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { sessionKey: string }).sessionKey;
  /** One turn; resolves with the SSE events once the stream closes. */
  async function turn(key: string, text: string) {
    const res = await fetch(`${h.baseUrl}/agent/turn`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-key': key }, body: JSON.stringify({ text, clientMessageId: randomUUID() }) });
    const body = await res.text();
    return body
      .split('\n\n')
      .filter(Boolean)
      .map((b) => ({ event: b.split('\n')[0]!.slice(7), data: JSON.parse(b.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { text?: string } }));
  }
  const history = (key?: string) => fetch(`${h.baseUrl}/agent/session/messages`, { headers: key ? { 'x-session-key': key } : {} });

  it("returns the session's messages oldest first, with who said them", async () => {
    const key = await session();
    expect(((await (await history(key)).json()) as { messages: unknown[] }).messages).toEqual([]);
    const events = await turn(key, 'Looking for a townhouse in Dubai Hills');
    const reply = events.at(-1)!;
    expect(reply.event).toBe('turn');
    // The reply came word by word (the stream's chunks add up to it).
    const chunks = events.filter((e) => e.event === 'chunk');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.data.text).join('')).toBe(reply.data.text);
    const res = await history(key);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { messages: Array<{ from: string; text: string; at: string }> };
    expect(body.messages.map((m) => [m.from, m.text])).toEqual([
      ['me', 'Looking for a townhouse in Dubai Hills'],
      ['agent', reply.data.text],
    ]);
    // Another visitor sees nothing of it.
    const other = (await (await history(await session())).json()) as { messages: unknown[] };
    expect(other.messages).toEqual([]);
  });

  it('refuses a missing or unknown session key', async () => {
    const none = await history();
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('session_required');
    const bogus = await history('not-a-real-key');
    expect(bogus.status).toBe(401);
    expect(((await bogus.json()) as { error: { code: string } }).error.code).toBe('invalid_session');
  });
});
