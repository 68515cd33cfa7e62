import { ActivityFailure, ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { LeadgenActivities, LeadgenIntakeInput } from '../activities/leadgen.activities';

// One short workflow per Meta Lead Ads lead, id `leadgen-<leadgen_id>`: the id is the dedupe
// (Meta redelivers webhooks), and the retries live here instead of in the webhook request.
// Fetching never gives up on a retryable error: an expired token waits for ops with a long
// delay chosen by the activity, so no lead is lost while the token is renewed.

export type LeadgenIntakeResult = { status: 'ingested'; leadId: string; duplicate: boolean } | { status: 'failed'; reason: string };

const { fetchLeadgen } = proxyActivities<LeadgenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const { intakeLeadgen, markLeadgenEventFailed } = proxyActivities<LeadgenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function leadgenIntakeWorkflow(input: LeadgenIntakeInput): Promise<LeadgenIntakeResult> {
  let fetched;
  try {
    fetched = await fetchLeadgen(input);
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.nonRetryable) {
      const reason = `${cause.type ?? 'error'}: ${cause.message}`;
      await markLeadgenEventFailed({ eventId: input.eventId, leadgenId: input.leadgenId, reason });
      log.warn('leadgen not taken in', { leadgenId: input.leadgenId, type: cause.type });
      return { status: 'failed', reason };
    }
    throw err;
  }
  const result = await intakeLeadgen({ ref: input, fetched });
  return { status: 'ingested', leadId: result.leadId, duplicate: result.duplicate };
}
