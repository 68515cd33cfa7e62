import { condition, proxyActivities, setHandler, defineSignal } from '@temporalio/workflow';
import type { BareActivities } from './bare.activities';

// The baseline the load benchmark measures Leadline against: a bare Temporal pipeline on the
// same server (signal → one activity → HTTP send), with no product logic at all.

export const bareMessage = defineSignal<[{ to: string }]>('message');

const { bareSend } = proxyActivities<BareActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5 },
});

export async function bareLeadWorkflow(): Promise<void> {
  const queue: Array<{ to: string }> = [];
  setHandler(bareMessage, (m) => {
    queue.push(m);
  });
  // Like a lead, it stays open for later turns; it ends after a quiet spell.
  while (await condition(() => queue.length > 0, '5 minutes')) {
    const m = queue.shift()!;
    await bareSend(m);
  }
}
