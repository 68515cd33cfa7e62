import { Connection, WorkflowClient } from '@temporalio/client';
// A CommonJS package whose exports Node's ESM loader cannot list: import the whole module.
import proto from '@temporalio/proto';
import { percentile } from './driver';

// Where a first reply's time goes, read from the workflow histories themselves: the gap between
// each pair of consecutive events up to the reply's delivery (a workflow task's queue wait and
// run, an activity's queue wait and run), as p50 over the sampled leads. Only event types,
// activity names and timestamps are read: payloads stay encrypted.

const T = proto.temporal.api.enums.v1.EventType;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const ms = (e: HistoryEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);

function label(e: HistoryEvent, activityNames: Map<string, string>): string | null {
  switch (e.eventType) {
    case T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
      return 'started';
    case T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
      return 'wft scheduled';
    case T.EVENT_TYPE_WORKFLOW_TASK_STARTED:
      return 'wft started';
    case T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
      return 'wft completed';
    case T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
      return `${e.activityTaskScheduledEventAttributes?.activityType?.name ?? '?'} scheduled`;
    case T.EVENT_TYPE_ACTIVITY_TASK_STARTED:
      return `${activityNames.get(String(e.activityTaskStartedEventAttributes?.scheduledEventId)) ?? '?'} started`;
    case T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      return `${activityNames.get(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)) ?? '?'} completed`;
    case T.EVENT_TYPE_MARKER_RECORDED: {
      // Local activities are markers written with the workflow task that ran them.
      const name = e.markerRecordedEventAttributes?.markerName;
      return name === 'core_local_activity' ? 'local activity marker' : null;
    }
    default:
      return null;
  }
}

/** The timed steps of one history, from its start to the completion of the reply's delivery. */
function steps(events: HistoryEvent[], until: string): Array<{ step: string; ms: number }> {
  const names = new Map<string, string>();
  for (const e of events) {
    if (e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) names.set(String(e.eventId), e.activityTaskScheduledEventAttributes?.activityType?.name ?? '?');
  }
  const out: Array<{ step: string; ms: number }> = [];
  let prev: { label: string; at: number } | null = null;
  for (const e of events) {
    const l = label(e, names);
    if (!l) continue;
    if (prev) out.push({ step: `${prev.label} → ${l}`, ms: ms(e) - prev.at });
    prev = { label: l, at: ms(e) };
    if (l === until) break;
  }
  return out;
}

export interface BreakdownRow {
  step: string;
  p50Ms: number;
  leads: number;
}

/**
 * p50 per step over `sample` lead workflows that ran `activity` (the reply's delivery), in the
 * order the steps happen; the last row is the whole: started → the delivery's completion.
 */
export async function historyBreakdown(address: string, workflowType: string, o: { sample: number; until: string }): Promise<BreakdownRow[]> {
  const connection = await Connection.connect({ address });
  try {
    const client = new WorkflowClient({ connection });
    const ids: string[] = [];
    for await (const w of client.list({ query: `WorkflowType = '${workflowType}'` })) {
      ids.push(w.workflowId);
      if (ids.length >= o.sample) break;
    }
    const byStep = new Map<string, number[]>();
    const order: string[] = [];
    const totals: number[] = [];
    for (const id of ids) {
      const history = await client.getHandle(id).fetchHistory();
      const s = steps(history.events ?? [], `${o.until} completed`);
      if (s.at(-1)?.step.endsWith(`${o.until} completed`) !== true) continue;
      totals.push(s.reduce((sum, x) => sum + x.ms, 0));
      s.forEach((x, i) => {
        const key = `${String(i + 1).padStart(2, '0')} ${x.step}`;
        if (!byStep.has(key)) order.push(key);
        byStep.set(key, [...(byStep.get(key) ?? []), x.ms]);
      });
    }
    return [
      ...order.sort().map((step) => ({ step, p50Ms: percentile(byStep.get(step)!, 50)!, leads: byStep.get(step)!.length })),
      { step: `total: started → ${o.until} completed`, p50Ms: percentile(totals, 50) ?? 0, leads: totals.length },
    ];
  } finally {
    await connection.close();
  }
}
