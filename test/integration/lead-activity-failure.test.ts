import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/activity';
import { BROKER_EVENTS_CHANNEL } from '../../lib/lead-events.channel';
import { createAgent } from '../../activities/agent/agent.factory';
import type { Agent } from '../../domain/agent.types';
import { startHarness, eventually, type Harness } from '../support/harness';
import { inbound, startLead, startWorkerWithAgent, subscribe, timeline, waitForState } from './lead-support';

// Nothing retries for ever: an activity that fails for good leaves an alert on the lead (timeline
// and Redis) and the lead goes on. Failure is injected at the agent: a turn whose last message
// carries the marker fails with a non-retryable error; every other turn is the real offline agent.

const FAIL_MARKER = '[fail-this-turn]';

describe('an activity that fails for good', () => {
  let h: Harness;
  let worker: { stop(): Promise<void> };
  const calls: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ worker: false });
    const real = createAgent(h.env, h.logger);
    const flaky: Agent = {
      name: real.name,
      turn: async (input, tools) => {
        const last = input.messages.filter((m) => m.from === 'lead').at(-1)?.text ?? '';
        calls.push(last);
        if (last.includes(FAIL_MARKER)) throw ApplicationFailure.nonRetryable('injected agent failure', 'InjectedFailure');
        return real.turn(input, tools);
      },
    };
    worker = await startWorkerWithAgent(h, flaky);
  });
  afterAll(async () => {
    await worker?.stop();
    await h?.close();
  });

  it('records an alert for a failed agent turn, and the next message still gets a reply', async () => {
    const events = await subscribe(h.redis, BROKER_EVENTS_CHANNEL);
    try {
      const lead = await startLead(h, { first: `Hello ${FAIL_MARKER}` });
      const failed = await waitForState(lead, (s) => s.alerts === 1 && s.agentFailures === 1, 'the alert for the failed turn');
      expect(failed.turns).toBe(0);
      // Non-retryable: one attempt, not two.
      expect(calls.filter((c) => c.includes(FAIL_MARKER))).toHaveLength(1);

      const alerts = await eventually(async () => {
        const rows = await timeline(h, lead.leadId, 'alert');
        return rows.length > 0 ? rows : undefined;
      }, 'the alert on the timeline');
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.meta).toMatchObject({ kind: 'activity_failed', activity: 'agentTurn', failure: 'InjectedFailure' });
      expect(alerts[0]!.idempotency_key).toBe(`${lead.workflowId}:alert:1`);
      const published = await eventually(async () => events.messages.find((m) => m.leadId === lead.leadId && m.type === 'alert'), 'the alert on Redis');
      expect(published.idempotencyKey).toBe(alerts[0]!.idempotency_key);

      // The lead goes on: a person was asked for, and the AI still answers the next message.
      const handedOff = await waitForState(lead, (s) => s.handoff.status === 'offered' || s.handoff.status === 'pool', 'the stuck handoff');
      expect(handedOff.handoff.reason).toBe('stuck');
      await lead.handle.signal('inbound', inbound('Hi, I am looking for a 2 bed apartment in Dubai Marina'));
      const answered = await waitForState(lead, (s) => s.turns === 1, 'the reply to the next message');
      expect(answered.transcript.at(-1)!.from).toBe('agent');
      const out = await eventually(async () => {
        const rows = (await timeline(h, lead.leadId, 'message')).filter((r) => r.direction === 'out');
        return rows.length > 0 ? rows : undefined;
      }, 'the reply on the timeline');
      expect(out).toHaveLength(1);
      expect(out[0]!.body).toBe(answered.transcript.at(-1)!.text);
      // The run did not fail: it is still open for the next message.
      expect((await lead.handle.describe()).status.name).toBe('RUNNING');
    } finally {
      await events.stop();
    }
  });
});
