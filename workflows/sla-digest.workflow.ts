import { ApplicationFailure, log, metricMeter, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SlaDigestActivities, SlaDigestResult } from '../activities/sla-digest.activities';
import { ScheduledStartTimeKey } from '../temporal/search-attributes';
import { failureType, isActivityFailure } from './activity-failure.step';

// The daily SLA-miss digest (ADR 016), started by the `sla-digest` Temporal Schedule. One
// activity does the work; its retries are bounded, and when the last one fails the run ends
// Failed (visible in the Temporal UI and the schedule's recent actions), with a metric and an
// error log for the ops alert. The schedule starts a fresh run the next day: nothing loops.

interface SlaDigestInput {
  /** The digest's nominal time (ISO); a scheduled run uses the time it was scheduled for, so a late catch-up covers the same 24 h. */
  at?: string;
}

const { sendSlaDigest } = proxyActivities<SlaDigestActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 6, nonRetryableErrorTypes: ['ZodError', 'DataError'] },
});

export async function slaDigestWorkflow(input: SlaDigestInput = {}): Promise<SlaDigestResult> {
  const info = workflowInfo();
  const at = input.at ?? (info.typedSearchAttributes.get(ScheduledStartTimeKey) ?? info.runStartTime).toISOString();
  try {
    return await sendSlaDigest({ at });
  } catch (err) {
    if (!isActivityFailure(err)) throw err;
    const type = failureType(err);
    metricMeter.createCounter('leadline_sla_digest_failures', 'failures', 'Daily SLA digests not sent after their last retry').add(1, { type });
    log.error('SLA digest not sent after its last attempt', { type, at });
    throw ApplicationFailure.nonRetryable(`SLA digest for ${at} not sent (${type})`, 'SlaDigestFailed');
  }
}
