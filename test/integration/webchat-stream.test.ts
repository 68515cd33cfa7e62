import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { startHarness, type Harness } from '../support/harness';
import { createSession, readSse, turn } from '../support/webchat';

// Web chat end to end: session → turn → the lead workflow → the agent → the reply published on
// the lead's Redis channel → Server-Sent Events back to the browser.

describe('web chat: sessions and streamed turns', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { WEBCHAT_RATE_LIMIT_POINTS: '4', WEBCHAT_RATE_LIMIT_WINDOW_S: '60' } });
  });
  afterAll(async () => h?.close());

  it('creates a session storing only a hash of its key, and validates the body', async () => {
    const session = await createSession(h.baseUrl, { name: 'Web Visitor', email: `visitor-${randomUUID()}@example.com` });
    expect(session.sessionKey.length).toBeGreaterThanOrEqual(40);
    const rows = await h.orm.em.fork().getConnection().execute<{ key_hash: string; contact_id: string | null }[]>('select key_hash, contact_id from sessions where id = ?', [session.sessionId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_hash).not.toContain(session.sessionKey);
    expect(rows[0]!.contact_id).not.toBeNull();

    for (const bad of [{ email: 'not-an-email' }, { phone: '12' }, { market: 'FR' }, { unknown: true }]) {
      const res = await fetch(`${h.baseUrl}/agent/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bad) });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    }
  });

  it('streams the reply as chunks then the full turn, and closes', async () => {
    const session = await createSession(h.baseUrl);
    const clientMessageId = randomUUID();
    const res = await turn(h.baseUrl, session.sessionKey, 'Hi, I want to buy a 2 bed apartment in Dubai Marina, budget 2M AED', clientMessageId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(res);
    expect(events[0]).toMatchObject({ event: 'accepted', data: { clientMessageId, duplicate: false } });
    const chunks = events.filter((e) => e.event === 'chunk');
    const final = events.at(-1)!;
    expect(final.event).toBe('turn');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.data.text).join('')).toBe(final.data.text);
    expect(final.data).toMatchObject({ status: 'stored', clientMessageId });

    // The same reply is in the timeline, answering the message we sent.
    const rows = await h.orm.em.fork().getConnection().execute<{ direction: string; body: string; provider_id: string | null; lead_id: string }[]>(
      `select a.direction, a.body, a.provider_id, a.lead_id from timeline_entries a join sessions s on s.lead_id = a.lead_id where s.id = ? order by a.created_at`,
      [session.sessionId],
    );
    expect(rows.find((r) => r.direction === 'in')?.provider_id).toBe(`${session.sessionId}:${clientMessageId}`);
    expect(rows.filter((r) => r.direction === 'out').map((r) => r.body)).toEqual([final.data.text]);
    const lead = await h.orm.em.fork().getConnection().execute<{ channel: string }[]>('select channel from leads where id = ?', [rows[0]!.lead_id]);
    expect(lead[0]!.channel).toBe('web');
  });

  it('answers a retried turn (same clientMessageId) with the same reply and one message', async () => {
    const session = await createSession(h.baseUrl);
    const clientMessageId = randomUUID();
    const first = await readSse(await turn(h.baseUrl, session.sessionKey, 'Looking to rent a villa in Arabian Ranches', clientMessageId));
    const again = await readSse(await turn(h.baseUrl, session.sessionKey, 'Looking to rent a villa in Arabian Ranches', clientMessageId));
    expect(again[0]).toMatchObject({ event: 'accepted', data: { duplicate: true } });
    expect(again.at(-1)?.event).toBe('turn');
    expect(again.at(-1)?.data.text).toBe(first.at(-1)?.data.text);
    const inbound = await h.orm.em.fork().getConnection().execute<{ n: string }[]>(
      `select count(*)::text as n from timeline_entries where provider_id = ?`,
      [`${session.sessionId}:${clientMessageId}`],
    );
    expect(inbound[0]!.n).toBe('1');
  });

  it('serves the stream from another API instance than the one that took the session', async () => {
    const other: Server = createApp({ env: h.env, orm: h.orm, redis: h.redis, temporal: h.temporal, logger: pino({ level: 'silent' }) }).listen(0, '127.0.0.1');
    await new Promise((r) => other.once('listening', r));
    try {
      const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const session = await createSession(h.baseUrl);
      const events = await readSse(await turn(otherUrl, session.sessionKey, 'Do you have townhouses in Dubai Hills?'));
      expect(events.at(-1)?.event).toBe('turn');
      expect(String(events.at(-1)?.data.text).length).toBeGreaterThan(5);
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it('refuses turns without a valid session and with an invalid body', async () => {
    const noKey = await fetch(`${h.baseUrl}/agent/turn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi', clientMessageId: 'a1' }) });
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { code: string } }).error.code).toBe('session_required');
    const bogus = await turn(h.baseUrl, 'not-a-real-key', 'hi');
    expect(bogus.status).toBe(401);
    expect(((await bogus.json()) as { error: { code: string } }).error.code).toBe('invalid_session');
    const session = await createSession(h.baseUrl);
    const empty = await fetch(`${h.baseUrl}/agent/turn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-key': session.sessionKey },
      body: JSON.stringify({ text: '   ', clientMessageId: 'has spaces' }),
    });
    expect(empty.status).toBe(400);
  });

  it('answers a flood from one contact with 429, Retry-After and the error envelope', async () => {
    const session = await createSession(h.baseUrl);
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => turn(h.baseUrl, session.sessionKey, `message number ${i}`)));
    const limited = responses.filter((r) => r.status === 429);
    const accepted = responses.filter((r) => r.status === 200);
    expect(accepted).toHaveLength(4);
    expect(limited).toHaveLength(6);
    for (const r of limited) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = (await r.json()) as { error: { code: string; details: { retryAfterSeconds: number } } };
      expect(body.error.code).toBe('rate_limited');
      expect(body.error.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    // Every accepted turn still gets its answer (coalesced turns answer all their messages).
    for (const r of accepted) expect((await readSse(r)).at(-1)?.event).toBe('turn');
  });
});
