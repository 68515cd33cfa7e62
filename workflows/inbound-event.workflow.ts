import { proxyActivities } from '@temporalio/workflow';
import type { InboundEventActivities } from '../activities/inbound-event.activities';

// A webhook body taken in after its ack, from the stored raw event (id `inbound-event-<inbound
// event id>`): a large WhatsApp body, or a WhatsApp, SMS or Lead Ads event whose API instance
// acknowledged it and died before handing it on (the hand-on sweep). Re-running it is safe: statuses only
// move forward and messages are deduplicated at the edge and in each lead's workflow. It gives
// up after an hour (the run fails, visible in the Temporal UI); the raw body stays in the
// inbound event log.

const { ingestStoredEvent, ingestWhatsAppEvent } = proxyActivities<InboundEventActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 20, nonRetryableErrorTypes: ['InboundEventNotFound', 'InboundEventSourceUnsupported', 'SyntaxError', 'ZodError'] },
});

export async function inboundEventWorkflow(input: { eventId: string }): Promise<{ messages: number }> {
  return ingestStoredEvent(input);
}

/** Earlier builds started this (`whatsapp-event-<id>`) for large WhatsApp bodies: kept so their runs finish. */
export async function whatsappBatchWorkflow(input: { eventId: string }): Promise<{ messages: number }> {
  return ingestWhatsAppEvent(input);
}
