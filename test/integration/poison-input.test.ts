import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetaSignature } from '../../channels/meta/meta-signature';
import { processInboundBatch } from '../../intake/inbound-batch.intake';
import { createLeadIntake, type LeadIntake } from '../../intake/lead.intake';
import { eventually, machineAuth, startHarness, type Harness } from '../support/harness';
import { apiSession } from '../support/sign-in';
import { chat, createSession } from '../support/webchat';
import { postWebhook, testWaId, testWamid, waChange, waEnvelope, waTextPayload } from '../support/whatsapp.payloads';

// Issue 12, point 5: one bad character or one absurd value never blocks a lead or makes Meta
// redeliver for days. Every case is signed (it is content, not an attack on the edge) and must
// get a 2xx, and the lead must still answer the next normal message.

const SECRET = 'test-app-secret';

describe('poisoned input', () => {
  let h: Harness;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    h = await startHarness({ env: { WHATSAPP_APP_SECRET: SECRET } });
  });
  afterAll(async () => h?.close());

  const send = (body: string | object, headers: Record<string, string> = {}) => postWebhook(h.baseUrl, body, { secret: SECRET, ...headers });

  /** The lead of a WhatsApp sender once it answered `text` (the reply came after that message). */
  async function answered(waId: string, text: string) {
    return eventually(async () => {
      const rows = await sql<{ lead_id: string }>('select l.id as lead_id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?', [waId]);
      if (!rows[0]) return undefined;
      const state = await h.temporal.workflow.getHandle(`lead-${rows[0].lead_id}`).query<{ transcript: Array<{ from: string; text: string }> }>('state');
      const i = state.transcript.findIndex((t) => t.from === 'lead' && t.text === text);
      return i >= 0 && state.transcript.slice(i + 1).some((t) => t.from === 'agent') ? rows[0].lead_id : undefined;
    }, `a reply to "${text.slice(0, 30)}"`);
  }

  it('a NUL byte in a WhatsApp text gets a 200, and the next normal message gets its reply', async () => {
    const waId = testWaId();
    const poisoned = await send(waTextPayload({ waId, text: 'Hi\u0000 there \ud800 2 bed' }));
    expect(poisoned.status).toBe(200);
    await answered(waId, 'Hi there  2 bed');
    const normal = 'I want a 2 bed apartment in Dubai Marina';
    expect((await send(waTextPayload({ waId, text: normal }))).status).toBe(200);
    const leadId = await answered(waId, normal);
    const alerts = await sql<{ n: string }>(`select count(*)::text as n from timeline_entries where lead_id = ? and type = 'alert'`, [leadId]);
    expect(alerts[0]!.n).toBe('0');
  });

  it('bounds a message id over 255 characters, a huge timestamp, a 5,000-character name and a 2.5 MB text', async () => {
    const waId = testWaId();
    const longId = `wamid.${'A'.repeat(400)}`;
    const huge = 'x'.repeat(2_500_000);
    const body = waEnvelope([
      waChange({
        contacts: [{ profile: { name: 'N'.repeat(5000) }, wa_id: waId }],
        messages: [
          { from: waId, id: longId, timestamp: '99999999999999999999', type: 'text', text: { body: 'first one' } },
          { from: waId, id: testWamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: huge } },
        ],
      }),
    ]);
    const res = await send(body);
    expect(res.status).toBe(200);
    const rows = await eventually(async () => {
      const r = await sql<{ provider_id: string; len: number; created_at: Date }>(
        `select t.provider_id, length(t.body) as len, t.created_at from timeline_entries t join leads l on l.id = t.lead_id join contacts c on c.id = l.contact_id where c.wa_id = ? and t.direction = 'in' order by t.created_at`,
        [waId],
      );
      return r.length === 2 ? r : undefined;
    }, 'both messages on the timeline');
    const ids = rows.map((r) => r.provider_id);
    expect(ids.some((id) => /^h:[0-9a-f]{64}$/.test(id))).toBe(true);
    expect(Math.max(...rows.map((r) => r.len))).toBe(16_000);
    for (const r of rows) expect(Math.abs(new Date(r.created_at).getTime() - Date.now())).toBeLessThan(3600_000);
    const [contact] = await sql<{ len: number }>('select length(name) as len from contacts where wa_id = ?', [waId]);
    expect(contact!.len).toBe(200);
    // The same over-long id delivered again is the same message (deduplicated, not a second one).
    expect((await send(body)).status).toBe(200);
    const again = await sql<{ n: string }>(`select count(*)::text as n from timeline_entries t join leads l on l.id = t.lead_id join contacts c on c.id = l.contact_id where c.wa_id = ? and t.direction = 'in'`, [waId]);
    expect(again[0]!.n).toBe('2');
  });

  it('decodes a gzip body Meta signed, and refuses an unknown encoding with 415 before storing anything', async () => {
    const waId = testWaId();
    const raw = JSON.stringify(waTextPayload({ waId, text: 'gzipped hello, 1 bed in JLT' }));
    const res = await fetch(`${h.baseUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-hub-signature-256': computeMetaSignature(raw, SECRET) },
      body: gzipSync(raw),
    });
    expect(res.status).toBe(200);
    await answered(waId, 'gzipped hello, 1 bed in JLT');
    const marker = randomBytes(6).toString('hex');
    const other = JSON.stringify({ marker });
    const refused = await fetch(`${h.baseUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'compress', 'x-hub-signature-256': computeMetaSignature(other, SECRET) },
      body: other,
    });
    expect(refused.status).toBe(415);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unsupported_encoding');
    expect(await sql('select id from inbound_events where raw_body like ?', [`%${marker}%`])).toHaveLength(0);
    const broken = await fetch(`${h.baseUrl}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-hub-signature-256': computeMetaSignature(other, SECRET) }, body: other });
    expect(broken.status).toBe(415);
  });

  it("takes a broker's reason and task title with a broken character without blocking the lead", async () => {
    const waId = testWaId();
    const text = 'Looking to buy a villa in Dubai Hills, 5M';
    expect((await send(waTextPayload({ waId, text }))).status).toBe(200);
    const leadId = await answered(waId, text);
    const admin = await apiSession(h.baseUrl, 'admin@example.com');
    const post = (path: string, body: unknown) => fetch(`${h.baseUrl}/leads/${leadId}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...admin }, body: JSON.stringify(body).replace('BROKEN', '\\ud800') });
    const qualify = await post('qualify', { qualified: true, score: 70, reason: 'called BROKEN back\u0000' });
    expect(qualify.status).toBe(200);
    const task = await post('tasks', { title: 'Send BROKEN brochure', dueAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(task.status).toBe(201);
    const [row] = await eventually(async () => {
      const r = await sql<{ title: string }>('select title from tasks where lead_id = ?', [leadId]);
      return r.length > 0 ? r : undefined;
    }, 'the task row');
    expect(row!.title).toBe('Send  brochure');
    // The lead still answers.
    const next = 'And what about a 4 bed?';
    expect((await send(waTextPayload({ waId, text: next }))).status).toBe(200);
    await answered(waId, next);
    const alerts = await sql<{ n: string }>(`select count(*)::text as n from timeline_entries where lead_id = ? and type = 'alert'`, [leadId]);
    expect(alerts[0]!.n).toBe('0');
  });

  it('a NUL byte in web chat is cleaned, and the next message gets its reply', async () => {
    const session = await createSession(h.baseUrl, { name: 'Nul\u0000 Visitor' });
    const first = await chat(h.baseUrl, session.sessionKey, 'hello\u0000 world');
    expect(first.status).toBe(200);
    const second = await chat(h.baseUrl, session.sessionKey, 'I need a 3 bed townhouse in Arabian Ranches');
    expect(second.status).toBe(200);
    expect(second.reply).toBeTruthy();
  });

  it('reports and skips one bad item of a batch instead of failing the whole body', async () => {
    const real = createLeadIntake({ orm: h.orm, temporal: h.temporal, redis: h.redis, env: h.env, logger: h.logger });
    const badId = testWamid();
    const flaky: LeadIntake = {
      ...real,
      deliver: async (prepared, args) => {
        if (args.message.providerId === badId) throw Object.assign(new Error('invalid byte sequence'), { code: '22021' });
        return real.deliver(prepared, args);
      },
    };
    const [a, b] = [testWaId(), testWaId()];
    const item = (waId: string, id: string) => ({ identity: { waId, phone: `+${waId}` }, message: { providerId: id, channel: 'whatsapp' as const, kind: 'text' as const, text: `hi from ${waId}`, receivedAt: new Date().toISOString() } });
    const goodId = testWamid();
    const result = await processInboundBatch({ orm: h.orm, redis: h.redis, intake: flaky, env: h.env, logger: h.logger }, 'whatsapp', { messages: [item(a, badId), item(b, goodId)], statuses: [], identityChanges: [] });
    expect(result.failed).toEqual([{ providerId: badId, reason: 'Error (SQLSTATE 22021)' }]);
    await answered(b, `hi from ${b}`);
    // A transient error still fails the body (the provider redelivers it).
    const down: LeadIntake = { ...real, prepare: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) };
    await expect(processInboundBatch({ orm: h.orm, redis: h.redis, intake: down, env: h.env, logger: h.logger }, 'whatsapp', { messages: [item(testWaId(), testWamid())], statuses: [], identityChanges: [] })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('never answers 5xx to the machine client for hostile ids and bodies on the broker API', async () => {
    for (const path of ['/leads/%00', `/leads/${'9'.repeat(5000)}`, '/leads/%ED%A0%80', '/leads/%E0%A4%A', '/contacts/not-a-uuid/export', '/contacts/%00/erase']) {
      const res = await fetch(`${h.baseUrl}${path}`, { headers: machineAuth, method: path.endsWith('erase') ? 'POST' : 'GET' });
      expect(res.status, path).toBeLessThan(500);
    }
  });
});
