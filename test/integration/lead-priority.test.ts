import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeadIntake, type LeadIntake } from '../../intake/lead.intake';
import type { leadWorkflow } from '../../workflows/lead.workflow';
import { eventually, startHarness, type Harness } from '../support/harness';
import { testWaId, testWamid } from '../support/whatsapp.payloads';
import { startLead, waitForState, type TestLead } from './lead-support';

// #13, ADR 020: a new lead's workflow starts at priority key 1, so its first reply is not queued
// behind a storm of earlier leads' nudges; once its first turn is over (its last step, the
// memory write) it goes back to the default key 3, and a later message does not lift it again.
// NEW_LEAD_PRIORITY=false starts it without a key and updates nothing.

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

describe('lead priority', () => {
  let h: Harness;
  let intake: LeadIntake;
  beforeAll(async () => {
    h = await startHarness();
    intake = createLeadIntake({ orm: h.orm, temporal: h.temporal, redis: h.redis, env: h.env, logger: h.logger });
  });
  afterAll(async () => h?.close());

  const message = (text: string) => ({ providerId: testWamid(), channel: 'whatsapp' as const, kind: 'text' as const, text, receivedAt: new Date().toISOString() });
  const events = async (workflowId: string): Promise<HistoryEvent[]> => (await h.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const priorityUpdates = async (workflowId: string) =>
    (await events(workflowId)).flatMap((e) => (e.workflowExecutionOptionsUpdatedEventAttributes?.priority ? [e.workflowExecutionOptionsUpdatedEventAttributes.priority.priorityKey] : []));
  const currentKey = async (workflowId: string) => (await h.temporal.workflow.getHandle(workflowId).describe()).priority?.priorityKey;
  const asLead = (workflowId: string): TestLead => ({ leadId: '', workflowId, handle: h.temporal.workflow.getHandle<typeof leadWorkflow>(workflowId) });

  it('starts a new lead at key 1 and moves it to 3 once its first turn is over', async () => {
    const waId = testWaId();
    const first = await intake.ingest({ channel: 'whatsapp', identity: { waId, phone: `+${waId}`, market: 'AE' as const }, message: message('Hi, I am looking for a 2 bedroom flat in Dubai Marina') });
    expect(first.created).toBe(true);
    const started = (await events(first.workflowId))[0]?.workflowExecutionStartedEventAttributes;
    expect(started?.priority?.priorityKey).toBe(1);
    await waitForState(asLead(first.workflowId), (s) => s.turns >= 1, 'the first turn');
    await eventually(async () => ((await currentKey(first.workflowId)) === 3 ? true : undefined), 'the lead settled at the default priority');
    expect(await priorityUpdates(first.workflowId)).toEqual([3]);

    // The next message signals the running workflow: no start, so no new key, and nothing to settle.
    const second = await intake.ingest({ channel: 'whatsapp', identity: { waId, phone: `+${waId}`, market: 'AE' as const }, message: message('Budget is about 2M AED') });
    expect(second).toMatchObject({ created: false, workflowId: first.workflowId });
    await waitForState(asLead(first.workflowId), (s) => s.turns >= 2, 'the second turn');
    expect(await currentKey(first.workflowId)).toBe(3);
    expect(await priorityUpdates(first.workflowId)).toEqual([3]);
  });

  it('leaves a workflow that did not start at the new-lead key alone', async () => {
    const lead = await startLead(h, { first: 'Hello, any villas in Arabian Ranches?' });
    await waitForState(lead, (s) => s.turns >= 1, 'the first turn');
    expect((await events(lead.workflowId))[0]?.workflowExecutionStartedEventAttributes?.priority?.priorityKey ?? 0).not.toBe(1);
    expect(await priorityUpdates(lead.workflowId)).toEqual([]);
  });

  it('starts no lead at the new-lead key when NEW_LEAD_PRIORITY is off', async () => {
    const off = createLeadIntake({ orm: h.orm, temporal: h.temporal, redis: h.redis, env: { ...h.env, NEW_LEAD_PRIORITY: false }, logger: h.logger });
    const waId = testWaId();
    const first = await off.ingest({ channel: 'whatsapp', identity: { waId, phone: `+${waId}`, market: 'AE' as const }, message: message('Hello, 3 bed townhouse in Dubai Hills?') });
    expect(first.created).toBe(true);
    await waitForState(asLead(first.workflowId), (s) => s.turns >= 1, 'the first turn');
    expect((await events(first.workflowId))[0]?.workflowExecutionStartedEventAttributes?.priority?.priorityKey ?? 0).not.toBe(1);
    expect(await currentKey(first.workflowId)).not.toBe(1);
    expect(await priorityUpdates(first.workflowId)).toEqual([]);
  });
});
