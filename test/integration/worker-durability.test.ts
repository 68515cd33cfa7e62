import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { startWorkerProcess } from '../support/worker-process';
import { startHarness, eventually, type Harness } from '../support/harness';
import { leadIdOf } from '../support/lead-lookup';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// A real worker process, killed with SIGKILL while the agent turn is in flight: the server
// notices through the missed heartbeat, a new worker runs the turn again, and the reply is
// still persisted exactly once.
describe('durability: worker killed mid-turn', () => {
  let h: Harness;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await h?.close();
  });

  it('processes the message and persists the reply exactly once after a restart', async () => {
    const first = startWorkerProcess(h, { AGENT_TURN_DELAY_MS: '60000' });
    children.push(first);

    const waId = testWaId();
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Looking for a villa in Arabian Ranches' }))).status).toBe(200);
    const leadId = await leadIdOf(h.orm, waId);
    const handle = h.temporal.workflow.getHandle(`lead-${leadId}`);

    // Wait until the first worker has really started the agent turn.
    await eventually(async () => {
      const d = await handle.describe();
      const pending = d.raw.pendingActivities ?? [];
      // state 2 is PENDING_ACTIVITY_STATE_STARTED: a worker holds the task.
      return pending.some((a) => a.activityType?.name === 'agentTurn' && Number(a.state) === 2) ? true : undefined;
    }, 'the agent turn to start on the first worker', 60_000);

    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    const second = startWorkerProcess(h);
    children.push(second);

    const outbound = await eventually(async () => {
      const rows = await h.orm.em.fork().getConnection().execute<{ body: string; idempotency_key: string }[]>(
        `select body, idempotency_key from timeline_entries where lead_id = ? and direction = 'out'`,
        [leadId],
      );
      return rows.length > 0 ? rows : undefined;
    }, 'the reply after restart', 90_000);

    // Give any duplicate a chance to appear before asserting there is none.
    await new Promise((r) => setTimeout(r, 1500));
    const all = await h.orm.em.fork().getConnection().execute<{ n: string }[]>(
      `select count(*)::text as n from timeline_entries where lead_id = ? and direction = 'out'`,
      [leadId],
    );
    expect(all[0]!.n).toBe('1');
    expect(outbound[0]!.idempotency_key).toBe(`lead-${leadId}:turn:1`);
    const inbound = await h.orm.em.fork().getConnection().execute<{ n: string }[]>(
      `select count(*)::text as n from timeline_entries where lead_id = ? and direction = 'in'`,
      [leadId],
    );
    expect(inbound[0]!.n).toBe('1');
    const state = await handle.query<{ turns: number }>('state');
    expect(state.turns).toBe(1);
    second.kill('SIGTERM');
  });
});
