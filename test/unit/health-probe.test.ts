import { describe, expect, it } from 'vitest';
import { createHealthProbe } from '../../api/services/health-probe.service';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('health probe (/healthz)', () => {
  it('checks once per fresh window, then answers the aging report while it refreshes', async () => {
    const c = clock();
    let calls = 0;
    let redisUp = true;
    const probe = createHealthProbe(
      {
        postgres: async () => {
          calls += 1;
        },
        redis: async () => {
          if (!redisUp) throw new Error('connection refused');
        },
      },
      { freshMs: 1000, staleMs: 10_000, timeoutMs: 500, now: c.now },
    );

    const first = await probe.report();
    expect(first).toMatchObject({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
    await probe.report();
    expect(calls).toBe(1);

    // Redis goes down: the next call past the fresh window still gets the last report at once,
    // and the refresh it started shows the failure to the call after it.
    redisUp = false;
    c.advance(1500);
    expect((await probe.report()).status).toBe('ok');
    await new Promise((r) => setImmediate(r));
    const after = await probe.report();
    expect(after).toMatchObject({ status: 'degraded', checks: { postgres: 'ok', redis: 'error: connection refused' } });
    expect(calls).toBe(2);
  });

  it('waits for a live check when the last report is too old, and bounds a check that hangs', async () => {
    const c = clock();
    let hang = false;
    const probe = createHealthProbe(
      { temporal: () => (hang ? new Promise(() => undefined) : Promise.resolve()) },
      { freshMs: 1000, staleMs: 10_000, timeoutMs: 50, now: c.now },
    );
    expect((await probe.report()).status).toBe('ok');
    hang = true;
    c.advance(20_000);
    const report = await probe.report();
    expect(report).toMatchObject({ status: 'degraded', checks: { temporal: 'error: no answer in 50 ms' } });
    expect(report.checkedAt).toBe(new Date(c.now()).toISOString());
  });

  it('checks live on every call when the cache is 0', async () => {
    let calls = 0;
    const probe = createHealthProbe({ postgres: async () => void (calls += 1) }, { freshMs: 0, staleMs: 0, timeoutMs: 500 });
    await probe.report();
    await probe.report();
    expect(calls).toBe(2);
  });
});
