import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Env } from '../lib/env';
import type { slaDigestWorkflow } from '../workflows/sla-digest.workflow';

// The Temporal Schedule that starts the daily SLA digest (ADR 016). Every worker makes sure of
// it at start: created when missing, otherwise brought to the configured hour, time zone and
// task queue, keeping whether ops paused it. Several workers starting together is fine: the
// loser of the create race updates to the same spec.

export const SLA_DIGEST_SCHEDULE_ID = 'sla-digest';

type DigestScheduleEnv = Pick<Env, 'SLA_DIGEST_HOUR' | 'DEFAULT_TIME_ZONE' | 'TEMPORAL_TASK_QUEUE'>;
type DigestSchedule = Omit<ScheduleOptions<ScheduleOptionsStartWorkflowAction<typeof slaDigestWorkflow>>, 'scheduleId'>;

function slaDigestSchedule(env: DigestScheduleEnv): DigestSchedule {
  return {
    spec: { calendars: [{ hour: env.SLA_DIGEST_HOUR, minute: 0, second: 0, comment: 'daily SLA digest' }], timezone: env.DEFAULT_TIME_ZONE },
    action: {
      type: 'startWorkflow',
      workflowType: 'slaDigestWorkflow',
      // Temporal appends the scheduled time, so each day's run has its own id.
      workflowId: SLA_DIGEST_SCHEDULE_ID,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      args: [{}],
      // The activity's retries end well within this; a run never outlives its day.
      workflowExecutionTimeout: '6 hours',
    },
    policies: {
      // A digest still running (retrying a relay) when the next is due: skip, never two at once.
      overlap: ScheduleOverlapPolicy.SKIP,
      // Temporal or every worker down at the hour: the digest still goes out if they are back
      // within the morning; later than that it would land mid-day, and the next one is due.
      catchupWindow: '6 hours',
    },
  };
}

/** Creates or updates the schedule; returns which. */
export async function ensureSlaDigestSchedule(client: Client, env: DigestScheduleEnv): Promise<'created' | 'updated'> {
  const wanted = slaDigestSchedule(env);
  try {
    await client.schedule.create({ scheduleId: SLA_DIGEST_SCHEDULE_ID, ...wanted });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(SLA_DIGEST_SCHEDULE_ID).update((previous) => ({ ...previous, ...wanted, policies: { ...previous.policies, ...wanted.policies } }));
  return 'updated';
}
