import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { VectorStack } from '../../lib/vector/vector.factory';
import { VectorIndexError } from '../../lib/vector/vector-index.contract';
import { indexUnitsBatch, pruneUnitsIndex, unitsIndexStatus, type UnitsIndexStatus } from './unit-index.sync';

// Activities of the units re-index workflow: one batch per call, so a restart resumes at the last
// finished batch. A collection that exists with other dimensions is a configuration error that
// retrying cannot fix.

export interface UnitIndexDeps {
  orm: MikroORM;
  vectors: VectorStack;
  logger: Logger;
}

export interface ReindexBatchInput {
  after: string | null;
  batchSize: number;
}

export function createUnitIndexActivities(deps: UnitIndexDeps) {
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof VectorIndexError && /dimensions/.test(err.message)) throw ApplicationFailure.nonRetryable(err.message, 'VectorIndexMisconfigured');
      throw err;
    }
  };
  return {
    async unitsIndexStatus(): Promise<UnitsIndexStatus> {
      return guard(() => unitsIndexStatus(deps.orm.em.fork(), deps.vectors));
    },
    async reindexUnitsBatch(input: ReindexBatchInput): Promise<{ indexed: number; lastId: string | null; done: boolean }> {
      return guard(() => indexUnitsBatch(deps.orm.em.fork(), deps.vectors, input.after, input.batchSize));
    },
    async pruneUnitsIndex(): Promise<UnitsIndexStatus> {
      return guard(async () => {
        await pruneUnitsIndex(deps.orm.em.fork(), deps.vectors);
        const status = await unitsIndexStatus(deps.orm.em.fork(), deps.vectors);
        deps.logger.info({ collection: status.collection, embedder: status.embedder, indexed: status.indexed }, 'units vector index rebuilt');
        return status;
      });
    },
  };
}

export type UnitIndexActivities = ReturnType<typeof createUnitIndexActivities>;
