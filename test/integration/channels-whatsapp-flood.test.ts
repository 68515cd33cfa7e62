import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, eventually, type Harness } from '../support/harness';
import { postWebhook, testWaId, testWamid, waChange, waEnvelope, waTextPayload } from '../support/whatsapp.payloads';

// Volume at the edge: webhooks are never refused for rate, nothing is lost, and a burst from
// one contact becomes fewer agent turns (the lead workflow coalesces what arrives together).

const SECRET = 'test-app-secret';

describe('WhatsApp floods: nothing lost, bursts coalesced', () => {
  let h: Harness;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    h = await startHarness({ env: { WHATSAPP_APP_SECRET: SECRET, COALESCE_WINDOW_MS: '1500' } });
  });
  afterAll(async () => h?.close());

  it('records every one of 1000 messages from 50 contacts delivered in one POST', async () => {
    const senders = Array.from({ length: 50 }, () => testWaId());
    const wamids: string[] = [];
    const now = Math.floor(Date.now() / 1000);
    const changes = senders.map((waId, s) =>
      waChange({
        contacts: [{ profile: { name: `Flood ${s}` }, wa_id: waId }],
        messages: Array.from({ length: 20 }, (_, i) => {
          const id = testWamid();
          wamids.push(id);
          return { from: waId, id, timestamp: String(now), type: 'text', text: { body: `message ${i} from sender ${s}` } };
        }),
      }),
    );
    const res = await postWebhook(h.baseUrl, waEnvelope(changes), { secret: SECRET });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ messages: 1000, deferred: true });
    // Acknowledged once stored; a workflow works through the stored body.
    const batch = await h.temporal.workflow.getHandle(`inbound-event-${String(res.json.eventId)}`).result();
    expect(batch).toEqual({ messages: 1000 });
    const event = await sql<{ status: string; provider_ids: string[] }>('select status, provider_ids from inbound_events where id = ?', [res.json.eventId]);
    expect(event[0]!.status).toBe('processed');
    expect(event[0]!.provider_ids).toHaveLength(1000);

    const perLead = await eventually(
      async () => {
        const rows = await sql<{ lead_id: string; n: string }>(
          `select lead_id, count(*)::text as n from timeline_entries where provider_id in (select jsonb_array_elements_text(?::jsonb)) group by lead_id`,
          [JSON.stringify(wamids)],
        );
        const total = rows.reduce((sum, r) => sum + Number(r.n), 0);
        return total === 1000 ? rows : undefined;
      },
      'all 1000 messages in the timeline',
      120_000,
    );
    expect(perLead).toHaveLength(50);
    expect(perLead.every((r) => r.n === '20')).toBe(true);

    // Each workflow took in all 20 of its sender's messages, in far fewer than 20 turns.
    const states = await eventually(
      async () => {
        const list = await Promise.all(
          perLead.map((r) => h.temporal.workflow.getHandle(`lead-${r.lead_id}`).query<{ transcript: Array<{ from: string; text: string }>; turns: number }>('state')),
        );
        return list.every((s) => s.transcript.filter((t) => t.from === 'lead').length === 20) ? list : undefined;
      },
      'every workflow to hold its 20 messages',
      60_000,
    );
    const turns = states.reduce((sum, s) => sum + s.turns, 0);
    expect(turns).toBeLessThan(1000);
    const firstSender = states.find((s) => s.transcript[0]?.text.endsWith('from sender 0'));
    expect(firstSender?.transcript.filter((t) => t.from === 'lead').map((t) => t.text)).toEqual(Array.from({ length: 20 }, (_, i) => `message ${i} from sender 0`));
  });

  it('accepts a burst of separate webhooks from one contact, loses none and answers in fewer turns', async () => {
    const waId = testWaId();
    const texts = Array.from({ length: 25 }, (_, i) => `burst message ${i}`);
    const responses = await Promise.all(texts.map((text) => postWebhook(h.baseUrl, waTextPayload({ waId, text }), { secret: SECRET })));
    expect(responses.map((r) => r.status)).toEqual(texts.map(() => 200));

    const leadId = await eventually(async () => (await sql<{ id: string }>('select l.id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?', [waId]))[0]?.id, 'the lead');
    const inbound = await eventually(async () => {
      const rows = await sql<{ body: string }>(`select body from timeline_entries where lead_id = ? and direction = 'in'`, [leadId]);
      return rows.length === 25 ? rows : undefined;
    }, 'all 25 burst messages');
    expect(new Set(inbound.map((r) => r.body))).toEqual(new Set(texts));
    const leads = await sql('select 1 from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?', [waId]);
    expect(leads).toHaveLength(1);

    const state = await eventually(async () => {
      const s = await h.temporal.workflow.getHandle(`lead-${leadId}`).query<{ transcript: Array<{ from: string }>; turns: number }>('state');
      return s.transcript.filter((t) => t.from === 'lead').length === 25 && s.transcript.at(-1)?.from === 'agent' ? s : undefined;
    }, 'the burst answered');
    expect(state.turns).toBeLessThan(25);
    // The state shows the agent's reply as soon as the turn is applied; its delivery is the next activity.
    const outbound = await eventually(async () => {
      const n = Number((await sql<{ n: string }>(`select count(*)::text as n from timeline_entries where lead_id = ? and direction = 'out'`, [leadId]))[0]!.n);
      return n >= state.turns ? n : undefined;
    }, 'the replies on the timeline');
    expect(outbound).toBe(state.turns);
  });
});
