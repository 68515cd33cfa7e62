import { patched, proxyActivities } from '@temporalio/workflow';
import type { ErasureActivities } from '../activities/erasure.activities';
import type { ErasureInput, ErasureResult } from '../domain/erasure.types';

// Erasing a person, in an order that leaves nothing behind (ids `erase-contact-<id>` for an
// admin's request, `erase-lead-<id>` for retention; the system key encrypts it, and it carries
// ids only):
// 1. detach: the contact loses its identifiers under the lead-opening lock (a new message from
//    the same number starts a new contact and lead), raw webhook bodies are redacted, web chat
//    sessions go, an opted-out person leaves a hashed suppression entry;
// 2. each lead's workflow erases its state and ends (or is terminated);
// 3. what the workflows wrote is scrubbed (timeline, profile, tasks, memories, Redis), and the
//    memories' vectors leave the index (patch `lead-erase-memories-v1`);
// 4. the leads' data keys are destroyed: their Temporal histories never decode again;
// 5. the audit log says who erased what.
// Every step is idempotent, so a retry or a second request finishes the job.

/** Erasures started before memories existed replay without the forget step. */
const ERASE_MEMORIES_PATCH = 'lead-erase-memories-v1';

const { detachForErasure, scrubErasedLeads, forgetErasedMemories, destroyErasedKeys, recordErasure } = proxyActivities<ErasureActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

const { endLeadWorkflows } = proxyActivities<ErasureActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 10 },
});

export async function contactErasureWorkflow(input: ErasureInput): Promise<ErasureResult> {
  const detached = await detachForErasure({ contactId: input.contactId, leadIds: input.leadIds });
  const { terminated } = await endLeadWorkflows({ leadIds: detached.leadIds, leadgenIds: detached.leadgenIds });
  await scrubErasedLeads({ leadIds: detached.leadIds });
  if (patched(ERASE_MEMORIES_PATCH)) await forgetErasedMemories({ leadIds: detached.leadIds });
  const { destroyed } = await destroyErasedKeys({ leadIds: detached.leadIds });
  await recordErasure({ ...input, leadIds: detached.leadIds, contactErased: detached.contactErased, redactedEvents: detached.redactedEvents, keys: destroyed });
  return {
    leadIds: detached.leadIds,
    contactErased: detached.contactErased,
    redactedEvents: detached.redactedEvents,
    destroyedKeys: destroyed,
    terminatedWorkflows: terminated,
    suppressed: detached.suppressed,
  };
}
