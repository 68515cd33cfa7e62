import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_VERSION } from '../../domain/lead-state.model';
import { LeadStageKey } from '../../temporal/search-attributes';
import { startHarness, eventually, type Harness } from '../support/harness';
import { maybeRecordHistory } from '../replay/history-file';
import { fastSettings, inbound, post, startLead, stateOf, timeline, waitForState } from './lead-support';

// Continue-as-new forced by a small history threshold: the new run must carry the versioned
// state, the message-id dedupe set and the pending timers (here a task reminder and the next
// follow-up), and fire the timer once, from the new run.

describe('continue-as-new', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('carries state, the dedupe set and pending timers into the new run', async () => {
    const settings = fastSettings({ continueAsNewAfterEvents: 50 });
    const lead = await startLead(h, { settings });
    const firstRunId = (await lead.handle.describe()).runId;
    const first = inbound('Hi, I need a 2 bed apartment in Dubai Marina');
    await lead.handle.signal('inbound', first);
    await waitForState(lead, (s) => s.turns === 1, 'turn 1');

    const dueAt = new Date(Date.now() + 6000).toISOString();
    const created = await post(h, `/leads/${lead.leadId}/tasks`, { title: 'Send brochure', dueAt, assignee: 'broker-amina' });
    expect(created.status).toBe(201);
    const taskId = (created.json.task as { id: string }).id;

    await lead.handle.signal('inbound', inbound('Budget around 2.5M AED'));
    const continued = await waitForState(lead, (s) => s.generation >= 2, 'the new run', 30_000);
    const desc = await lead.handle.describe();
    expect(desc.runId).not.toBe(firstRunId);
    expect(desc.typedSearchAttributes.get(LeadStageKey)).toBe(continued.stage);

    const firstRun = await h.temporal.workflow.getHandle(lead.workflowId, firstRunId).fetchHistory();
    const events = firstRun.events ?? [];
    expect(events[events.length - 1]!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();

    // The state as the old run left it.
    expect(continued.version).toBe(STATE_VERSION);
    expect(continued.turns).toBe(2);
    expect(continued.transcript.filter((t) => t.from === 'lead').map((t) => t.text)).toEqual(['Hi, I need a 2 bed apartment in Dubai Marina', 'Budget around 2.5M AED']);
    expect(continued.seenProviderIds).toContain(first.providerId);
    expect(continued.settings).toMatchObject({ continueAsNewAfterEvents: 50, slaMs: settings.slaMs, timeZone: 'UTC' });
    expect(continued.tasks).toEqual([expect.objectContaining({ id: taskId, dueAt, remindedAt: null })]);
    const lastAgent = [...continued.transcript].reverse().find((t) => t.from === 'agent')!;
    expect(continued.followUp.anchorAt).toBe(lastAgent.at);
    expect(Date.parse(continued.followUp.dueAt!) - Date.parse(lastAgent.at)).toBe(3_600_000);

    // A redelivered message from before the new run is still recognised.
    await lead.handle.signal('inbound', first);
    await lead.handle.signal('inbound', inbound('Do you have anything with a sea view?'));
    const third = await waitForState(lead, (s) => s.turns === 3, 'turn 3');
    expect(third.transcript.filter((t) => t.id === first.providerId)).toHaveLength(1);

    // The task timer set in the first run fires once, from a later one.
    const reminded = await waitForState(lead, (s) => s.tasks[0]?.remindedAt !== null, 'the carried reminder', 30_000);
    expect(reminded.generation).toBeGreaterThanOrEqual(2);
    const rows = await eventually(async () => {
      const r = await timeline(h, lead.leadId, 'reminder');
      return r.length > 0 ? r : undefined;
    }, 'the reminder row');
    expect(rows).toHaveLength(1);
    const scheduledInFirstRun = events.flatMap((e) => (e.activityTaskScheduledEventAttributes?.activityType?.name ? [e.activityTaskScheduledEventAttributes.activityType.name] : []));
    expect(scheduledInFirstRun).not.toContain('remindTask');
    expect((await stateOf(lead)).generation).toBeGreaterThanOrEqual(2);
    await maybeRecordHistory(lead.handle, 'continued-as-new', h.encryption.codec);
  });
});
