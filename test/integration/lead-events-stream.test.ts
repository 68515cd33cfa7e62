import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeLeadEvent, leadEventsChannel } from '../../lib/lead-events.channel';
import { eventually, startHarness, type Harness } from '../support/harness';
import { apiSession } from '../support/sign-in';

// GET /events: the Redis lead events as server-sent events, for signed-in users, each told
// only about leads they may see; real Redis and Postgres.

interface Stream {
  text(): string;
  events(): Array<{ leadId: string; kinds: string[] }>;
  close(): void;
}

describe('GET /events: the live lead feed', () => {
  let h: Harness;
  const open: Stream[] = [];

  async function openStream(headers: Record<string, string>): Promise<Stream> {
    const abort = new AbortController();
    const res = await fetch(`${h.baseUrl}/events`, { headers, signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    let buffer = '';
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
        }
      } catch {
        // aborted
      }
    })();
    const stream: Stream = {
      text: () => buffer,
      events: () =>
        buffer
          .split('\n\n')
          .filter((block) => block.startsWith('event: lead\n'))
          .map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 6)) as { leadId: string; kinds: string[] }),
      close: () => abort.abort(),
    };
    open.push(stream);
    await eventually(async () => (stream.text().includes('event: ready') ? true : undefined), 'the stream to open', 10_000);
    return stream;
  }

  async function seedLead(owner: string | null): Promise<string> {
    const em = h.orm.em.fork();
    const contactId = randomUUID();
    const leadId = randomUUID();
    await em.getConnection().execute(`insert into contacts (id, market, created_at, updated_at) values (?, 'AE', now(), now())`, [contactId]);
    await em.getConnection().execute(
      `insert into leads (id, contact_id, channel, status, owner_id, workflow_id, market, created_at, updated_at) values (?, ?, 'whatsapp', 'engaged', ?, ?, 'AE', now(), now())`,
      [leadId, contactId, owner, `lead-${leadId}`],
    );
    return leadId;
  }

  const publishState = (leadId: string) =>
    h.redis.publish(leadEventsChannel(leadId), encodeLeadEvent({ type: 'state', stage: 'engaged', ownerId: null, nextFollowUpAt: null, slaDueAt: null }));

  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await h?.close();
  });

  it('is closed to anonymous callers', async () => {
    const res = await fetch(`${h.baseUrl}/events`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('tells a manager about every lead and a broker only about the pool and their own leads', async () => {
    const manager = await openStream(await apiSession(h.baseUrl, 'manager@example.com'));
    const james = await openStream(await apiSession(h.baseUrl, 'james@example.com'));
    const pool = await seedLead(null);
    const jamesOwn = await seedLead('broker-james');
    const priyas = await seedLead('broker-priya');
    const unknown = randomUUID();

    await publishState(priyas);
    await publishState(unknown);
    await publishState(jamesOwn);
    // Two events for one lead inside the batch window arrive as one, with both kinds.
    await publishState(pool);
    await h.redis.publish(
      leadEventsChannel(pool),
      encodeLeadEvent({ type: 'handoff', leadId: pool, body: 'Offered', brokerId: 'broker-james', idempotencyKey: `k-${pool}`, meta: {} }),
    );
    // Chunks of a streaming reply are not lead changes.
    await h.redis.publish(leadEventsChannel(jamesOwn), encodeLeadEvent({ type: 'chunk', inReplyTo: ['x'], text: 'Hel' }));

    await eventually(async () => (manager.events().some((e) => e.leadId === pool) && james.events().some((e) => e.leadId === pool) ? true : undefined), 'both streams to hear of the pool lead', 10_000);
    expect(new Set(manager.events().map((e) => e.leadId))).toEqual(new Set([priyas, jamesOwn, pool]));
    expect(new Set(james.events().map((e) => e.leadId))).toEqual(new Set([jamesOwn, pool]));
    expect(james.events().find((e) => e.leadId === pool)?.kinds.sort()).toEqual(['handoff', 'state']);
    expect(james.events().filter((e) => e.leadId === jamesOwn).flatMap((e) => e.kinds)).not.toContain('chunk');
    // Events carry ids and kinds, never the lead's content.
    expect(james.text()).not.toContain('Offered');
  });
});
