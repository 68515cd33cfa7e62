import OpenAI from 'openai';
import type { Embedder } from './embedder.contract';

// OpenAI embeddings (any OpenAI-compatible server through baseURL). Inputs go in batches; the
// client retries transient failures a bounded number of times.

const KNOWN_DIMS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export interface OpenAiEmbedderOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** Needed for models not in the list above; for text-embedding-3-* it shortens the vectors. */
  dimensions?: number;
  batchSize?: number;
}

export function createOpenAiEmbedder(opts: OpenAiEmbedderOptions): Embedder {
  const dims = opts.dimensions ?? KNOWN_DIMS[opts.model];
  if (!dims) throw new Error(`unknown dimensions for embedding model ${opts.model}: set OPENAI_EMBEDDING_DIMENSIONS`);
  const client = new OpenAI({ apiKey: opts.apiKey, ...(opts.baseURL && { baseURL: opts.baseURL }), maxRetries: 2, timeout: 30_000 });
  const batchSize = opts.batchSize ?? 128;
  return {
    id: `openai:${opts.model}:${dims}`,
    dims,
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const input = texts.slice(i, i + batchSize);
        const res = await client.embeddings.create({
          model: opts.model,
          input,
          encoding_format: 'float',
          ...(opts.dimensions && { dimensions: opts.dimensions }),
        });
        const data = [...res.data].sort((a, b) => a.index - b.index);
        if (data.length !== input.length) throw new Error(`embeddings: asked for ${input.length}, got ${data.length}`);
        for (const d of data) {
          if (d.embedding.length !== dims) throw new Error(`embeddings: expected ${dims} dimensions, got ${d.embedding.length}`);
          out.push(Float32Array.from(d.embedding));
        }
      }
      return out;
    },
  };
}
