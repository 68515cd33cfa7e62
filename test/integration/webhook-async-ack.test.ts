import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createApiServer } from '../../api/http-server';
import { createInboundHandOn, type InboundHandOn } from '../../api/webhooks/inbound-handon';
import { eventually, startHarness, testEnv, type Harness } from '../support/harness';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// WEBHOOK_ACK=async (#13): the webhook answers once its event is stored; the intake follows in
// the background, in order per sender, and an event that cannot be handed on (Temporal gone)
// is retried a bounded number of times, then kept as failed with an alert, never dropped.

const SECRET = 'async-app-secret';

describe('webhook acknowledged before the hand-on', () => {
  let h: Harness;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    h = await startHarness({ env: { WEBHOOK_ACK: 'async', WHATSAPP_APP_SECRET: SECRET } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers with the stored event, then opens the lead and hands the messages on in order', async () => {
    const waId = testWaId();
    const texts = ['Hi, looking for a villa', 'in Arabian Ranches', 'budget around 5M'];
    const now = Math.floor(Date.now() / 1000);
    const eventIds: string[] = [];
    for (const [i, text] of texts.entries()) {
      const payload = waTextPayload({ waId, text });
      payload.entry[0]!.changes[0]!.value.messages[0]!.timestamp = String(now + i);
      const res = await postWebhook(h.baseUrl, payload, { secret: SECRET });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ received: true, queued: true, messages: 1 });
      eventIds.push(String(res.json.eventId));
    }
    const events = await eventually(async () => {
      const rows = await sql<{ id: string; status: string; processed_at: Date }>(`select id, status, processed_at from inbound_events where id in (?, ?, ?)`, eventIds);
      return rows.length === 3 && rows.every((r) => r.status === 'processed') ? rows : undefined;
    }, 'the three events handed on');
    // One sender's events are handed on one after another, in the order they were received.
    const byId = new Map(events.map((e) => [e.id, new Date(e.processed_at).getTime()]));
    const processed = eventIds.map((id) => byId.get(id)!);
    expect([...processed].sort((a, b) => a - b)).toEqual(processed);
    const inbound = await eventually(async () => {
      const rows = await sql<{ body: string }>(
        `select a.body from timeline_entries a join leads l on l.id = a.lead_id join contacts c on c.id = l.contact_id where c.wa_id = ? and a.direction = 'in' order by a.created_at`,
        [waId],
      );
      return rows.length === 3 ? rows : undefined;
    }, 'the three messages on the lead');
    expect(inbound.map((r) => r.body)).toEqual(texts);
  });

  it('keeps an event it cannot hand on as failed, after bounded retries, instead of losing it', async () => {
    const env = testEnv({ WEBHOOK_ACK: 'async', WHATSAPP_APP_SECRET: SECRET, WEBHOOK_HANDON_MAX_ATTEMPTS: '2', WEBHOOK_HANDON_MAX_DELAY_MS: '10', WEBHOOK_HANDON_SWEEP_AFTER_MS: '0' });
    // A Temporal address nothing listens on: every signal-with-start fails.
    const deadTemporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:9', connectTimeout: 500 }), dataConverter: h.encryption.dataConverter });
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const handOn: InboundHandOn = createInboundHandOn({ env, orm: h.orm, temporal: deadTemporal, logger });
    const server: Server = createApiServer(createApp({ env, orm: h.orm, redis: h.redis, temporal: deadTemporal, logger, handOn }), false).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await postWebhook(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, waTextPayload({ waId: testWaId(), text: 'Is the Marina flat still free?' }), { secret: SECRET });
      expect(res.status).toBe(200);
      expect(res.json.queued).toBe(true);
      const [event] = await eventually(async () => {
        const rows = await sql<{ status: string; error: string | null }>('select status, error from inbound_events where id = ?', [res.json.eventId]);
        return rows[0]?.status === 'failed' ? rows : undefined;
      }, 'the event marked failed', 150_000);
      expect(event!.error).toMatch(/hand-on gave up after 2 attempts/);
      expect(lines.some((l) => l.includes('"alert":"inbound_handon_failed"') && l.includes(String(res.json.eventId)))).toBe(true);
    } finally {
      await new Promise((r) => server.close(r));
      await handOn.stop();
    }
  }, 200_000);
});
