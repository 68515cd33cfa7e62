import { describe, expect, it } from 'vitest';
import { createHandOnQueue, handOnDelayMs, type HandOnJob } from '../../intake/inbound-handon.queue';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('inbound hand-on queue', () => {
  it('runs one sender’s jobs in arrival order, even when an earlier one is slow', async () => {
    const done: string[] = [];
    const q = createHandOnQueue({ lanes: 4, maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, onGiveUp: async () => {} });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    q.push({ key: 'alice', source: 'whatsapp', eventId: 'a1', run: async () => { await gate; done.push('a1'); } });
    q.push({ key: 'alice', source: 'whatsapp', eventId: 'a2', run: async () => { done.push('a2'); } });
    q.push({ key: 'bob', source: 'whatsapp', eventId: 'b1', run: async () => { done.push('b1'); } });
    await tick();
    // Bob is not held up by Alice (unless they share a lane), Alice's second waits for her first.
    expect(done).not.toContain('a2');
    expect(q.pending()).toBeGreaterThanOrEqual(2);
    release();
    await q.drain();
    expect(done.indexOf('a1')).toBeLessThan(done.indexOf('a2'));
    expect(done).toHaveLength(3);
    expect(q.pending()).toBe(0);
  });

  it('retries with a bounded doubling backoff and keeps the lane until it succeeds', async () => {
    const waits: number[] = [];
    const order: string[] = [];
    let failures = 2;
    const q = createHandOnQueue({
      lanes: 1, maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 150,
      sleep: async (ms) => void waits.push(ms),
      onGiveUp: async () => { throw new Error('must not give up'); },
    });
    q.push({ key: 'carol', source: 'whatsapp', eventId: 'c1', run: async () => { if (failures-- > 0) throw new Error('temporal unavailable'); order.push('c1'); } });
    q.push({ key: 'carol', source: 'whatsapp', eventId: 'c2', run: async () => void order.push('c2') });
    await q.drain();
    expect(waits).toEqual([100, 150]);
    expect(order).toEqual(['c1', 'c2']);
  });

  it('gives up after the attempts are spent, says so once, and goes on with the next job', async () => {
    const gaveUp: { job: HandOnJob; attempts: number; message: string }[] = [];
    let runs = 0;
    const q = createHandOnQueue({
      lanes: 1, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {},
      onGiveUp: async (job, err, attempts) => void gaveUp.push({ job, attempts, message: (err as Error).message }),
    });
    q.push({ key: 'dan', source: 'whatsapp', eventId: 'd1', run: async () => { runs++; throw new Error('still down'); } });
    let next = false;
    q.push({ key: 'dan', source: 'whatsapp', eventId: 'd2', run: async () => void (next = true) });
    await q.drain();
    expect(runs).toBe(3);
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toMatchObject({ attempts: 3, message: 'still down', job: { eventId: 'd1' } });
    expect(next).toBe(true);
  });

  it('computes the backoff without exceeding its cap', () => {
    expect([1, 2, 3, 4, 10].map((n) => handOnDelayMs(n, 250, 5000))).toEqual([250, 500, 1000, 2000, 5000]);
  });
});
