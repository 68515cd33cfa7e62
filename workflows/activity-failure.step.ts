import { ActivityFailure, ApplicationFailure, isCancellation, log, metricMeter } from '@temporalio/workflow';
import { raiseAlert } from '../domain/lead-state.commands';
import { recordLeadEvent } from './lead.proxies';
import { ACTIVITY_ALERTS_PATCH } from './lead.patches';
import type { LeadRun } from './lead.run';

/** The failure's type for logs and metrics (never its message, which may carry data). */
export function failureType(err: ActivityFailure): string {
  return err.cause instanceof ApplicationFailure ? (err.cause.type ?? 'ApplicationFailure') : (err.cause?.name ?? 'ActivityFailure');
}

/** Whether `err` is an activity that failed for good (not a cancellation or a bug in the workflow). */
export function isActivityFailure(err: unknown): err is ActivityFailure {
  return err instanceof ActivityFailure && !isCancellation(err);
}

/**
 * An activity failed after its last attempt: an `alert` on the lead's timeline (and Redis),
 * a metric, and the loop goes on. `what` says what the lead missed (no personal data).
 */
export async function alertActivityFailed(run: LeadRun, activity: string, what: string, err: ActivityFailure): Promise<void> {
  const type = failureType(err);
  metricMeter.createCounter('leadline_lead_activity_failures', 'failures', 'Lead workflow activities that failed after their last retry').add(1, { activity, type });
  log.warn('activity failed after its last attempt; the lead goes on', { activity, type });
  const { n } = run.applyQuietly(raiseAlert(run.state));
  try {
    await recordLeadEvent({
      leadId: run.state.leadId,
      type: 'alert',
      body: `${what} (${activity} failed: ${type})`,
      idempotencyKey: `${run.wfId}:alert:${n}`,
      brokerId: null,
      meta: { kind: 'activity_failed', activity, failure: type },
    });
  } catch (alertErr) {
    if (!isActivityFailure(alertErr)) throw alertErr;
    // The timeline itself is down: the log line and the metric are all that is left.
    log.error('alert could not be recorded', { activity, type });
  }
}

/**
 * Runs one activity call of the loop; when it fails for good, alerts and returns `undefined`.
 * Histories from before ACTIVITY_ALERTS_PATCH keep their old behaviour: the failure ends the run.
 */
export async function guarded<T>(run: LeadRun, activity: string, what: string, call: () => Promise<T>): Promise<{ value: T } | undefined> {
  try {
    return { value: await call() };
  } catch (err) {
    if (!isActivityFailure(err) || !run.has(ACTIVITY_ALERTS_PATCH)) throw err;
    await alertActivityFailed(run, activity, what, err);
    return undefined;
  }
}
