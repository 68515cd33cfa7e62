import { proxyActivities } from '@temporalio/workflow';
import type { WhatsAppIntakeActivities } from '../activities/whatsapp-intake.activities';

// A large WhatsApp webhook body (id `whatsapp-event-<inbound event id>`), processed from the
// stored raw event after the ack. Re-running it is safe: statuses only move forward and
// messages are deduplicated at the edge and in each lead's workflow.

const { ingestWhatsAppEvent } = proxyActivities<WhatsAppIntakeActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function whatsappBatchWorkflow(input: { eventId: string }): Promise<{ messages: number }> {
  return ingestWhatsAppEvent(input);
}
