import { proxyActivities } from '@temporalio/workflow';
import type { WhatsAppIntakeActivities } from '../activities/whatsapp-intake.activities';

// A large WhatsApp webhook body (id `whatsapp-event-<inbound event id>`), processed from the
// stored raw event after the ack. Re-running it is safe: statuses only move forward and
// messages are deduplicated at the edge and in each lead's workflow. It gives up after an hour
// (the run fails, visible in the Temporal UI); the raw body stays in the inbound event log.

const { ingestWhatsAppEvent } = proxyActivities<WhatsAppIntakeActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 20, nonRetryableErrorTypes: ['InboundEventNotFound', 'SyntaxError', 'ZodError'] },
});

export async function whatsappBatchWorkflow(input: { eventId: string }): Promise<{ messages: number }> {
  return ingestWhatsAppEvent(input);
}
