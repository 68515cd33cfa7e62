import { continueAsNew, defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { UnitIndexActivities } from '../activities/inventory/unit-index.activities';

// Rebuilds the units vector collection in the background (a new embedder, a fresh install):
// batch after batch in id order, then prunes vectors of other embedders and of deleted units.
// Each batch is one activity, so a worker restart resumes at the last finished batch; long
// passes continue as new with the cursor. `progress` answers how far it got.

export interface ReindexInput {
  batchSize?: number;
  /** batches before continuing as new (history stays small); tests lower it */
  batchesPerRun?: number;
  /** carried across continue-as-new */
  after?: string | null;
  indexed?: number;
  total?: number;
}

export interface ReindexProgress {
  phase: 'indexing' | 'pruning' | 'done';
  indexed: number;
  total: number;
  /** the last unit id indexed */
  after: string | null;
  embedder: string | null;
}

export const reindexProgressQuery = defineQuery<ReindexProgress>('progress');

const acts = proxyActivities<UnitIndexActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: ['VectorIndexMisconfigured'] },
});

export async function reindexUnitsWorkflow(input: ReindexInput = {}): Promise<ReindexProgress> {
  const batchSize = Math.min(1000, Math.max(1, input.batchSize ?? 200));
  const batchesPerRun = Math.max(1, input.batchesPerRun ?? 200);
  const progress: ReindexProgress = { phase: 'indexing', indexed: input.indexed ?? 0, total: input.total ?? 0, after: input.after ?? null, embedder: null };
  setHandler(reindexProgressQuery, () => progress);

  const status = await acts.unitsIndexStatus();
  progress.embedder = status.embedder;
  if (input.total === undefined) progress.total = status.units;

  for (let batches = 0; ; batches++) {
    if (batches >= batchesPerRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof reindexUnitsWorkflow>({ batchSize, batchesPerRun, after: progress.after, indexed: progress.indexed, total: progress.total });
    }
    const r = await acts.reindexUnitsBatch({ after: progress.after, batchSize });
    progress.indexed += r.indexed;
    progress.after = r.lastId;
    if (r.done) break;
  }
  progress.phase = 'pruning';
  const final = await acts.pruneUnitsIndex();
  progress.total = final.units;
  progress.phase = 'done';
  return progress;
}
