import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { startWorkerProcess } from '../support/worker-process';
import { startHarness, eventually, type Harness } from '../support/harness';
import { post, startLead, stateOf, timeline, waitForState } from './lead-support';

// A task timer comes due while no worker runs (the only one was killed with SIGKILL): a new
// worker process fires it, once.
describe('durability: a timer pending while the worker is dead', () => {
  let h: Harness;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await h?.close();
  });

  it('fires the task reminder exactly once after a restart', async () => {
    const first = startWorkerProcess(h);
    children.push(first);

    const lead = await startLead(h);
    await waitForState(lead, (s) => s.settingsLoaded, 'the workflow running on the first worker', 60_000);
    const dueAt = new Date(Date.now() + 4000).toISOString();
    const created = await post(h, `/leads/${lead.leadId}/tasks`, { title: 'Call back after the viewing', dueAt, assignee: 'broker-james' });
    expect(created.status).toBe(201);
    const taskId = (created.json.task as { id: string }).id;

    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    // The timer comes due with no worker alive: nothing can have reminded anyone yet.
    while (Date.now() < Date.parse(dueAt) + 1000) await new Promise((r) => setTimeout(r, 250));
    expect(await timeline(h, lead.leadId, 'reminder')).toHaveLength(0);

    const second = startWorkerProcess(h);
    children.push(second);
    await eventually(async () => {
      const rows = await timeline(h, lead.leadId, 'reminder');
      return rows.length > 0 ? rows : undefined;
    }, 'the reminder after the restart', 90_000);

    // Give any duplicate a chance to appear before asserting there is none.
    await new Promise((r) => setTimeout(r, 1500));
    const rows = await timeline(h, lead.leadId, 'reminder');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.idempotency_key).toBe(`${lead.workflowId}:task:${taskId}:reminder`);
    const state = await stateOf(lead);
    expect(state.tasks.find((t) => t.id === taskId)?.remindedAt).not.toBeNull();
    const history = await lead.handle.fetchHistory();
    const reminders = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'remindTask');
    expect(reminders).toHaveLength(1);
    second.kill('SIGTERM');
  });
});
