import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { VectorStack } from '../../lib/vector/vector.factory';
import type { reindexUnitsWorkflow } from '../../workflows/reindex.workflow';
import { unitsIndexStatus } from './unit-index.sync';

// Run when a worker starts: if the units collection is missing units, or holds vectors of
// another embedder (the configuration changed), start the re-index workflow. One id per task
// queue, so several workers starting at once share one run, and a run left on a queue nobody
// polls any more (a test's) never captures another queue's re-index.

export const reindexWorkflowId = (taskQueue: string) => `units-reindex-${taskQueue}`;

export async function startUnitsReindexIfStale(deps: { temporal: Client; orm: MikroORM; vectors: VectorStack; taskQueue: string; logger: Logger }): Promise<'fresh' | 'started'> {
  const s = await unitsIndexStatus(deps.orm.em.fork(), deps.vectors);
  if (s.indexed === s.units && s.stale === 0) return 'fresh';
  await deps.temporal.workflow.start<typeof reindexUnitsWorkflow>('reindexUnitsWorkflow', {
    workflowId: reindexWorkflowId(deps.taskQueue),
    taskQueue: deps.taskQueue,
    args: [{}],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  deps.logger.info({ collection: s.collection, embedder: s.embedder, units: s.units, indexed: s.indexed, stale: s.stale }, 'units vector index is stale: re-index started');
  return 'started';
}
