import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { FAST_REPLY_PATCH, LIFECYCLE_PATCH, PATCHES_FOLDED, REPLY_IN_TURN_PATCH } from '../../workflows/lead.patches';
import { historyToPlainJson, listHistories, loadHistory, type History } from '../replay/history-file';
import { temporal } from '@temporalio/proto';

// Recorded lead histories (test/replay/histories, from real runs) replayed against the current
// workflow code: a change that alters the commands an existing lead issues fails here first.
// Record new ones with RECORD_REPLAY_HISTORIES=1 (see docs/decisions/004-workflow-per-lead.md).

const replay = (history: History, id: string) => Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, id);

function patchIds(history: History): string[] {
  const ids: string[] = [];
  for (const e of history.events ?? []) {
    const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    if (data) ids.push((JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id);
  }
  return ids;
}

describe('replaying recorded lead histories', () => {
  const files = listHistories();

  it('has the lifecycle histories, and none from before it (that branch is gone)', () => {
    // Every history here was recorded by the lifecycle code; its start-up marker stays in
    // history and must replay against code that no longer asks for it.
    expect(files.filter((f) => f.startsWith('lead-v0-'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('lead-v1-')).length).toBeGreaterThanOrEqual(5);
    // (runs from past PATCHES_FOLDED, lead-v4 on, no longer ask for it)
    const beforeFold = files.filter((f) => /^lead-v[123]-/.test(f));
    expect(beforeFold.every((f) => patchIds(loadHistory(f)).includes(LIFECYCLE_PATCH))).toBe(true);
  });

  it('has histories from past the fast-reply patch: the data steps are local activities, the memory write follows the reply', () => {
    const fast = files.filter((f) => f.startsWith('lead-v2-')).map(loadHistory);
    expect(fast.length).toBeGreaterThanOrEqual(2);
    // (a continued run that only waits on its timers runs no data step, so it has no marker)
    expect(fast.filter((h) => patchIds(h).includes(FAST_REPLY_PATCH)).length).toBeGreaterThanOrEqual(2);
    const events = fast.flatMap((h) => h.events ?? []);
    const scheduled = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(scheduled).toContain('agentTurn');
    expect(scheduled.filter((n) => n === 'loadLeadContext' || n === 'recordInbound' || n === 'persistProjection' || n === 'rememberTurn')).toEqual([]);
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length).toBeGreaterThan(0);
    // and the runs recorded before it still schedule them: both branches are replayed below
    const old = files.filter((f) => f.startsWith('lead-v1-')).flatMap((f) => loadHistory(f).events ?? []);
    expect(old.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordInbound')).toBe(true);
  });

  it('has histories from past the reply-in-turn patch: every agent turn sent its own reply', () => {
    const inTurn = files.filter((f) => f.startsWith('lead-v3-')).map(loadHistory);
    expect(inTurn.length).toBeGreaterThanOrEqual(3);
    expect(inTurn.every((h) => patchIds(h).includes(REPLY_IN_TURN_PATCH))).toBe(true);
    // event ids count per history: pair each turn's result with its own history's scheduling
    const turns = inTurn.map((h) => {
      const events = h.events ?? [];
      const ids = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'agentTurn').map((e) => String(e.eventId)));
      const results = events
        .filter((e) => ids.has(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)))
        .map((e) => JSON.parse(Buffer.from(e.activityTaskCompletedEventAttributes!.result!.payloads![0]!.data!).toString('utf8')) as { reply: string; delivered?: { status: string } });
      return { scheduled: ids.size, results };
    });
    expect(turns.every((t) => t.results.length === t.scheduled)).toBe(true);
    const turnResults = turns.flatMap((t) => t.results);
    expect(turnResults.length).toBeGreaterThanOrEqual(5);
    expect(turnResults.filter((r) => r.reply).every((r) => typeof r.delivered?.status === 'string')).toBe(true);
  });

  it('has histories from past the folded patches: each run asks for one patch and has every earlier one', () => {
    const folded = files.filter((f) => f.startsWith('lead-v4-')).map(loadHistory);
    expect(folded.length).toBeGreaterThanOrEqual(3);
    // one marker, and one TemporalChangeVersion upsert, per run: the lifecycle, fast-reply,
    // reply-in-turn and on-change patches each cost a run both before (#13)
    expect(folded.map(patchIds)).toEqual(folded.map(() => [PATCHES_FOLDED]));
    const versionUpserts = folded.map((h) => (h.events ?? []).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion).length);
    expect(versionUpserts).toEqual(folded.map(() => 1));
    // …and what those patches turned on is there: the data steps are local activities
    const events = folded.flatMap((h) => h.events ?? []);
    const scheduled = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(scheduled).toContain('agentTurn');
    expect(scheduled.filter((n) => n === 'loadLeadContext' || n === 'recordInbound' || n === 'persistProjection' || n === 'rememberTurn')).toEqual([]);
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length).toBeGreaterThan(0);
  });

  it('has histories of runs whose input declared the fold: no patch marker, and no upsert before a value changes', () => {
    const declared = files.filter((f) => f.startsWith('lead-v5-')).map(loadHistory);
    expect(declared.length).toBeGreaterThanOrEqual(3);
    expect(declared.map(patchIds)).toEqual(declared.map(() => []));
    const upserts = (h: History) => (h.events ?? []).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes);
    const changeVersion = declared.flatMap(upserts).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion);
    expect(changeVersion).toEqual([]);
    // Routing ran as a local activity (LOCAL_ROUTING_PATCH, declared with the fold): handoffs
    // were offered (their timeline entry is scheduled), and no routeLead task was scheduled.
    const scheduled = declared.flatMap((h) => h.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(scheduled).toContain('recordLeadEvent');
    expect(scheduled.filter((n) => n === 'routeLead')).toEqual([]);
    const v4Routes = files.filter((f) => f.startsWith('lead-v4-')).flatMap((f) => loadHistory(f).events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'routeLead');
    expect(v4Routes.length).toBeGreaterThan(0);
    // A new lead started with what its first publishState would write: nothing is upserted
    // before its first agent turn is scheduled (lead-v4 upserted twice there).
    const started = declared.filter((h) => !h.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId);
    expect(started.length).toBeGreaterThanOrEqual(3);
    for (const h of started) {
      const events = h.events ?? [];
      const firstTurn = events.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'agentTurn');
      expect(firstTurn).toBeGreaterThan(0);
      expect(events.slice(0, firstTurn).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toEqual([]);
      const startAttributes = Object.keys(events[0]!.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields ?? {}).sort();
      expect(startAttributes).toEqual(['Channel', 'LeadScore', 'LeadStage', 'Qualified']);
    }
  });

  it('has histories of runs declared with fold 2: a handoff writes its timeline entries in the task that routed it', () => {
    const v6 = files.filter((f) => f.startsWith('lead-v6-')).map(loadHistory);
    expect(v6.length).toBeGreaterThanOrEqual(3);
    expect(v6.map(patchIds)).toEqual(v6.map(() => []));
    /** The timeline entries a history wrote through a recordLeadEvent activity task, by type. */
    const remoteEvents = (h: History) =>
      (h.events ?? [])
        .map((e) => e.activityTaskScheduledEventAttributes)
        .filter((a) => a?.activityType?.name === 'recordLeadEvent')
        .map((a) => (JSON.parse(Buffer.from(a!.input!.payloads![0]!.data!).toString('utf8')) as { type: string }).type);
    // LOCAL_HANDOFF_EVENTS_PATCH: offers, missed claims and the pool alert are local activities
    // (a broker's command still writes its note through a task)
    const v6Types = v6.flatMap(remoteEvents);
    expect(v6Types.filter((t) => t === 'handoff' || t === 'alert')).toEqual([]);
    expect(remoteEvents(loadHistory('lead-v5-escalation-to-pool.json')).filter((t) => t === 'handoff').length).toBeGreaterThanOrEqual(5);
    // A handed-off new lead, from its start to the broker's claim timer: two workflow tasks and
    // one activity task (the agent's turn), where lead-v5 took three and two.
    for (const name of ['handoff-claim-release', 'escalation-to-pool']) {
      const firstOffer = (h: History) => {
        const events = h.events ?? [];
        const turn = events.findIndex((e) => e.activityTaskCompletedEventAttributes);
        const claimTimer = events.findIndex((e, i) => i > turn && e.timerStartedEventAttributes);
        const upTo = events.slice(0, claimTimer + 1);
        return {
          workflowTasks: upTo.filter((e) => e.workflowTaskCompletedEventAttributes).length,
          activityTasks: upTo.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean),
        };
      };
      expect(firstOffer(loadHistory(`lead-v6-${name}.json`)), name).toEqual({ workflowTasks: 2, activityTasks: ['agentTurn'] });
      expect(firstOffer(loadHistory(`lead-v5-${name}.json`)), name).toEqual({ workflowTasks: 3, activityTasks: ['agentTurn', 'recordLeadEvent'] });
    }
  });

  it.each(files)('replays %s without nondeterminism', async (file) => {
    await replay(loadHistory(file), file);
  });

  it('fails replay when the recorded commands no longer match the code', async () => {
    const file = files.find((f) => f.startsWith('lead-v1-'))!;
    const json = historyToPlainJson(loadHistory(file)) as { events: Array<Record<string, { activityType?: { name: string } }>> };
    const scheduled = json.events.find((e) => e.activityTaskScheduledEventAttributes)!;
    scheduled.activityTaskScheduledEventAttributes!.activityType = { name: 'somethingElse' };
    const tampered = temporal.api.history.v1.History.fromObject(json);
    await expect(replay(tampered, `${file}-tampered`)).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
