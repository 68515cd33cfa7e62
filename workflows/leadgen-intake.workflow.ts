import { ActivityFailure, ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { LeadgenActivities, LeadgenIntakeInput } from '../activities/leadgen.activities';

// One short workflow per Meta Lead Ads lead, id `leadgen-<leadgen_id>`: the id is the dedupe
// (Meta redelivers webhooks), and the retries live here instead of in the webhook request.
// Fetching rides out an expired token for up to a week (the activity picks a long delay, so ops
// can renew it); after that, or on an error no retry fixes, the event is marked failed with the
// reason and stays in the inbound event log, so nothing received is lost.

export type LeadgenIntakeResult = { status: 'ingested'; leadId: string; duplicate: boolean } | { status: 'failed'; reason: string };

const { fetchLeadgen } = proxyActivities<LeadgenActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['ZodError'] },
});

const { intakeLeadgen, markLeadgenEventFailed } = proxyActivities<LeadgenActivities>({
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
  return { status: 'failed', reason };
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
