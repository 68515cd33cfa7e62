import { z } from 'zod';

// The agent's model, embeddings and vector index, and how it paces its turns.
export const agentEnv = {
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  /** Vector index on a Qdrant server; unset: the embedded index under VECTOR_DIR. */
  QDRANT_URL: z.string().url().optional(),
  QDRANT_API_KEY: z.string().optional(),
  /** Where the embedded vector index keeps its files (default .data/vector). */
  VECTOR_DIR: z.string().optional(),
  /** auto: OpenAI embeddings when OPENAI_API_KEY is set, else the offline embedder. */
  EMBEDDINGS: z.enum(['auto', 'openai', 'offline']).default('auto'),
  OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  /** Required for models whose size is not known; shortens text-embedding-3-* vectors when set. */
  OPENAI_EMBEDDING_DIMENSIONS: z.coerce.number().int().min(8).max(8192).optional(),
  /** Turns the agent waits before replying, so a burst of messages becomes one turn. */
  COALESCE_WINDOW_MS: z.coerce.number().int().min(0).default(1500),
  /** Test hook: slows the agent turn so a test can kill the worker mid-turn. Never set in prod. */
  AGENT_TURN_DELAY_MS: z.coerce.number().int().min(0).default(0),
};
