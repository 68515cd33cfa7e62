import { ActivityFailure, ApplicationFailure, log, patched, proxyActivities } from '@temporalio/workflow';
import type { LeadgenActivities, LeadgenIntakeInput } from '../activities/leadgen.activities';

// One short workflow per Meta Lead Ads lead, id `leadgen-<leadgen_id>`: the id is the dedupe
// (Meta redelivers webhooks), and the retries live here instead of in the webhook request.
// Fetching rides out an expired token for up to a week (the activity picks a long delay, so ops
// can renew it); after that, or on an error no retry fixes, the event is marked failed with the
// reason and stays in the inbound event log, and a lead is opened with what the webhook said
// and an alert, so nothing received is lost and someone sees it; the run ends Failed.

/** From this patch on a lead that could not be taken in is opened for a broker and the run fails (visibly). */
export const LEADGEN_VISIBLE_FAILURE_PATCH = 'leadgen-visible-failure-v1';

export type LeadgenIntakeResult = { status: 'ingested'; leadId: string; duplicate: boolean } | { status: 'failed'; reason: string };

const { fetchLeadgen } = proxyActivities<LeadgenActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['ZodError'] },
});

const { intakeLeadgen, markLeadgenEventFailed, leadgenFailed } = proxyActivities<LeadgenActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 50, nonRetryableErrorTypes: ['ZodError'] },
});

function reasonOf(err: ActivityFailure): string {
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'error'}: ${cause.message}`;
  return `${cause?.name ?? 'ActivityFailure'}: ${cause?.message ?? err.message}`;
}

async function giveUp(input: LeadgenIntakeInput, step: string, err: unknown): Promise<LeadgenIntakeResult> {
  if (!(err instanceof ActivityFailure)) throw err;
  const reason = reasonOf(err);
  await markLeadgenEventFailed({ eventId: input.eventId, leadgenId: input.leadgenId, reason });
  log.warn('leadgen not taken in', { leadgenId: input.leadgenId, step, type: err.cause instanceof ApplicationFailure ? err.cause.type : err.cause?.name });
  if (!patched(LEADGEN_VISIBLE_FAILURE_PATCH)) return { status: 'failed', reason };
  // Seen, not silent: a lead with an alert for a broker, and a run that shows Failed.
  await leadgenFailed({ ref: input, reason });
  throw ApplicationFailure.nonRetryable(`Lead Ads lead ${input.leadgenId} not taken in: ${reason}`, 'LeadgenNotTakenIn');
}

export async function leadgenIntakeWorkflow(input: LeadgenIntakeInput): Promise<LeadgenIntakeResult> {
  let fetched;
  try {
    fetched = await fetchLeadgen(input);
  } catch (err) {
    return giveUp(input, 'fetch', err);
  }
  let result;
  try {
    result = await intakeLeadgen({ ref: input, fetched });
  } catch (err) {
    return giveUp(input, 'intake', err);
  }
  return { status: 'ingested', leadId: result.leadId, duplicate: result.duplicate };
}
