import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness';
import { apiSession } from '../support/sign-in';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// Issue 12, point 6: the signature is checked before anything is stored, unsigned traffic is
// limited per address (a signed delivery never is), and the broker API is limited per user.

const SECRET = 'test-app-secret';

describe('edge safety', () => {
  let h: Harness;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    h = await startHarness({ env: { WHATSAPP_APP_SECRET: SECRET, WEBHOOK_UNSIGNED_PER_MINUTE: '5', API_USER_RATE_LIMIT_PER_MINUTE: '8' }, worker: false });
  });
  afterAll(async () => {
    await resetLimits();
    await h?.close();
  });

  /** Limit buckets are shared by every test file of the run (one Redis prefix): start and leave them empty. */
  async function resetLimits() {
    let cursor = '0';
    do {
      const [next, keys] = await h.redis.scan(cursor, 'MATCH', `${h.env.REDIS_KEY_PREFIX}rl:*`, 'COUNT', 1000);
      cursor = next;
      const names = keys.map((k) => k.slice(h.env.REDIS_KEY_PREFIX.length)).filter((k) => k.startsWith('rl:webhook-unsigned') || k.startsWith('rl:api-user'));
      if (names.length > 0) await h.redis.del(...names);
    } while (cursor !== '0');
  }

  it('stores nothing of ten unsigned 1 MB posts, limits them per address, and never refuses a signed delivery', async () => {
    await resetLimits();
    const [before] = await sql<{ n: string; bytes: string }>(`select count(*)::text as n, coalesce(sum(length(raw_body)), 0)::text as bytes from inbound_events`);
    const marker = randomBytes(6).toString('hex');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await postWebhook(h.baseUrl, { marker, object: 'whatsapp_business_account', entry: [], i, pad: 'x'.repeat(1024 * 1024) });
      expect(res.json.error?.code).toMatch(/^(invalid_signature|rate_limited)$/);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429, 429, 429]);
    const [after] = await sql<{ n: string; bytes: string }>(`select count(*)::text as n, coalesce(sum(length(raw_body)), 0)::text as bytes from inbound_events`);
    expect(after).toEqual(before);
    // The small records: five (one per body that got past the limit), each a hash, a size and 64 bytes.
    let records = 0;
    let cursor = '0';
    do {
      const [next, keys] = await h.redis.scan(cursor, 'MATCH', `${h.env.REDIS_KEY_PREFIX}rejected-webhook:*`, 'COUNT', 1000);
      cursor = next;
      for (const k of keys) {
        const value = (await h.redis.get(k.slice(h.env.REDIS_KEY_PREFIX.length))) ?? '';
        const record = JSON.parse(value) as { head: string; size: number };
        if (!Buffer.from(record.head, 'base64').toString('utf8').includes(marker)) continue;
        expect(value.length).toBeLessThan(400);
        expect(record.size).toBeGreaterThan(1024 * 1024);
        records += 1;
      }
    } while (cursor !== '0');
    expect(records).toBe(5);

    // Same address, correctly signed: accepted and stored.
    const signed = await postWebhook(h.baseUrl, waTextPayload({ waId: testWaId(), text: `signed ${marker}` }), { secret: SECRET });
    expect(signed.status).not.toBe(429);
    expect(signed.status).toBeLessThan(500);
    expect(await sql('select id from inbound_events where raw_body like ?', [`%signed ${marker}%`])).toHaveLength(1);
  });

  it('limits the broker API per user: one user over the limit gets 429 in the envelope, another is unaffected', async () => {
    const admin = await apiSession(h.baseUrl, 'admin@example.com');
    const manager = await apiSession(h.baseUrl, 'manager@example.com');
    await resetLimits();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 10; i++) {
      last = await fetch(`${h.baseUrl}/brokers`, { headers: admin });
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last!.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await fetch(`${h.baseUrl}/brokers`, { headers: manager })).status).toBe(200);
  });
});
