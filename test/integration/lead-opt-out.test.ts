import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_BROKERS } from '../../db/seeders/database.seeder';
import { optOutConfirmation } from '../../domain/lead-opt-out.rules';
import type { LeadState } from '../../domain/lead-state.model';
import { startHarness, eventually, type Harness } from '../support/harness';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';
import { post, waitForState, type TestLead } from './lead-support';

// One opt-out detector for every path: the same phrases opt a lead out whether the AI or a
// broker owns it, arriving through the WhatsApp webhook or the web chat, end to end.

const PHRASES = ['STOP', 'stop please', 'Please stop', 'stop messaging me', 'الغاء', 'बंद करो', 'UNSUBSCRIBE'];
const OWNERS = ['ai', 'broker'] as const;
const CHANNELS = ['whatsapp', 'web'] as const;
const CASES = PHRASES.flatMap((phrase) => OWNERS.flatMap((owner) => CHANNELS.map((channel) => ({ phrase, owner, channel }))));
const FIRST = 'Hi, I am looking for a 2 bed apartment in Dubai Marina';

/** A conversation on one channel: it sends a message as the lead would, and finds the lead behind it. */
interface Conversation {
  send(text: string): Promise<void>;
  lead(): Promise<TestLead>;
}

describe('opt-out phrases on every path', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { WEBCHAT_RATE_LIMIT_POINTS: '1000', WEBCHAT_REPLY_TIMEOUT_MS: '1500' } });
  });
  afterAll(async () => h?.close());

  const db = () => h.orm.em.fork().getConnection();
  const handleOf = (row: { id: string; workflow_id: string }): TestLead => ({ leadId: row.id, workflowId: row.workflow_id, handle: h.temporal.workflow.getHandle(row.workflow_id) });

  function whatsapp(): Conversation {
    const waId = testWaId();
    return {
      async send(text) {
        const res = await postWebhook(h.baseUrl, waTextPayload({ waId, text }));
        expect(res.status).toBe(200);
      },
      lead: () =>
        eventually(async () => {
          const rows = await db().execute<{ id: string; workflow_id: string }[]>('select l.id, l.workflow_id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?', [waId]);
          return rows[0] ? handleOf(rows[0]) : undefined;
        }, 'the WhatsApp lead'),
    };
  }

  async function webChat(): Promise<Conversation> {
    const res = await fetch(`${h.baseUrl}/agent/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(201);
    const session = (await res.json()) as { sessionId: string; sessionKey: string };
    return {
      async send(text) {
        const turn = await fetch(`${h.baseUrl}/agent/turn`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-session-key': session.sessionKey },
          body: JSON.stringify({ text, clientMessageId: randomUUID() }),
        });
        expect(turn.status).toBe(200);
        await turn.text(); // the stream ends with the reply, or with a timeout while a broker owns the lead
      },
      lead: () =>
        eventually(async () => {
          const rows = await db().execute<{ id: string; workflow_id: string }[]>('select l.id, l.workflow_id from leads l join sessions s on s.lead_id = l.id where s.id = ?', [session.sessionId]);
          return rows[0] ? handleOf(rows[0]) : undefined;
        }, 'the web chat lead'),
    };
  }

  it.concurrent.each(CASES)('"$phrase" opts out a lead the $owner owns, on $channel', async ({ phrase, owner, channel }) => {
    const chat = channel === 'whatsapp' ? whatsapp() : await webChat();
    await chat.send(FIRST);
    const lead = await chat.lead();
    await waitForState(lead, (s) => s.turns === 1 && s.followUp.dueAt !== null, 'the first answer');
    if (owner === 'broker') {
      const claim = await post(h, `/leads/${lead.leadId}/claim`, { brokerId: SEED_BROKERS[0]!.id });
      expect(claim.status).toBe(200);
    }

    await chat.send(phrase);
    const out: LeadState = await waitForState(lead, (s) => s.optedOut, `the opt-out after "${phrase}"`);
    expect(out.transcript.filter((t) => t.from === 'lead').map((t) => t.text)).toEqual([FIRST, phrase]);
    expect(out.followUp.dueAt).toBeNull();
    expect(out.brokerReply.dueAt).toBeNull();
    const agentTexts = out.transcript.filter((t) => t.from === 'agent').map((t) => t.text);
    if (owner === 'ai') {
      // One confirmation, in the lead's script, and nothing after it.
      expect(agentTexts).toHaveLength(2);
      expect(agentTexts[1]).toBe(optOutConfirmation(phrase));
    } else {
      // The AI stays quiet for a broker-owned lead; the owner may no longer write either.
      expect(agentTexts).toHaveLength(1);
      expect(out.ownerId).toBe(SEED_BROKERS[0]!.id);
      const message = await post(h, `/leads/${lead.leadId}/messages`, { text: 'Are you still interested?' });
      expect(message.status).toBe(409);
      expect(message.json.error?.code).toBe('opted_out');
    }
  });
});
