import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { MediaActivities, MediaRef } from '../activities/media.activities';

// One short workflow per file a lead sent, started (and left to run) by the lead's workflow:
// the download retries with backoff for a bounded time without holding the conversation up.
// When it gives up, the row is marked failed, the lead gets an alert, and the run fails so it
// shows as Failed in the Temporal UI.

const { storeMedia } = proxyActivities<MediaActivities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10, nonRetryableErrorTypes: ['NotFoundError', 'MediaRejected', 'MediaNotConfigured', 'ZodError'] },
});

const { mediaFailed } = proxyActivities<MediaActivities>({
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 30 },
});

export async function mediaFetchWorkflow(input: MediaRef): Promise<{ status: 'stored'; sizeBytes: number }> {
  try {
    return await storeMedia(input);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause;
    const reason = cause instanceof ApplicationFailure ? `${cause.type ?? 'error'}: ${cause.message}` : (cause?.message ?? 'download failed');
    await mediaFailed({ ...input, reason });
    throw ApplicationFailure.nonRetryable(`media not kept: ${reason}`, 'MediaNotKept');
  }
}
