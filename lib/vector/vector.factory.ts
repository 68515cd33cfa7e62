import path from 'node:path';
import type { Env } from '../env';
import { dataDir } from '../paths';
import type { Embedder } from './embedder.contract';
import { createEmbeddedVectorIndex } from './embedded-vector.index';
import { createOfflineEmbedder } from './offline.embedder';
import { createOpenAiEmbedder } from './openai.embedder';
import { createQdrantVectorIndex } from './qdrant-vector.index';
import type { VectorIndex } from './vector-index.contract';

// Client factories: which vector index and which embedder a process uses, from configuration.

export function createVectorIndex(env: Pick<Env, 'QDRANT_URL' | 'QDRANT_API_KEY' | 'VECTOR_DIR' | 'NODE_ENV'>): VectorIndex {
  if (env.QDRANT_URL) return createQdrantVectorIndex({ url: env.QDRANT_URL, ...(env.QDRANT_API_KEY && { apiKey: env.QDRANT_API_KEY }) });
  // test runs (their workers index the test database at start) never touch the dev index
  const dir = env.VECTOR_DIR ?? (env.NODE_ENV === 'test' ? path.join(dataDir, 'test', 'vector') : path.join(dataDir, 'vector'));
  return createEmbeddedVectorIndex({ dir });
}

export function createEmbedder(env: Pick<Env, 'EMBEDDINGS' | 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_EMBEDDING_MODEL' | 'OPENAI_EMBEDDING_DIMENSIONS'>): Embedder {
  const useOpenAi = env.EMBEDDINGS === 'openai' || (env.EMBEDDINGS === 'auto' && !!env.OPENAI_API_KEY);
  if (!useOpenAi || !env.OPENAI_API_KEY) return createOfflineEmbedder();
  return createOpenAiEmbedder({
    apiKey: env.OPENAI_API_KEY,
    model: env.OPENAI_EMBEDDING_MODEL,
    ...(env.OPENAI_BASE_URL && { baseURL: env.OPENAI_BASE_URL }),
    ...(env.OPENAI_EMBEDDING_DIMENSIONS && { dimensions: env.OPENAI_EMBEDDING_DIMENSIONS }),
  });
}

export interface VectorStack {
  index: VectorIndex;
  embedder: Embedder;
  /** The index holds its collections in this process's memory (embedded, no QDRANT_URL): what
   *  grows with every lead (lead memories) is better kept elsewhere (ADR 019). */
  inProcess: boolean;
}

export function createVectorStack(env: Env): VectorStack {
  return { index: createVectorIndex(env), embedder: createEmbedder(env), inProcess: !env.QDRANT_URL };
}
