import { conceptsIn, normaliseText } from '../../domain/real-estate.synonyms';
import type { Embedder } from './embedder.contract';

// An embedder that needs no model download and no network: signed feature hashing of word
// unigrams and bigrams, character trigrams (so "balconies" still lands near "balcony") and the
// real-estate concepts of the synonym map, L2-normalised. Deterministic: the same text gives the
// same vector in every process, so the API and the worker agree.

const STOPWORDS = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'in', 'on', 'at', 'to', 'for', 'with', 'near', 'by', 'is', 'are', 'i', 'we', 'want', 'need', 'looking', 'like', 'would', 'please', 'some', 'it', 'its', 'this', 'that', 'from']);

const WEIGHTS = { concept: 3, word: 1, bigram: 0.7, trigram: 0.25 } as const;

/** FNV-1a 32-bit: fast, stable across processes and platforms. */
function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function offlineEmbedding(text: string, dims: number): Float32Array {
  const v = new Float32Array(dims);
  const add = (token: string, w: number) => {
    const h = fnv1a(token);
    // the sign comes from a second hash, so collisions cancel out on average instead of piling up
    const sign = fnv1a(token, 0x9747b28c) & 1 ? 1 : -1;
    v[h % dims]! += sign * w;
  };
  const norm = normaliseText(text);
  for (const c of conceptsIn(norm)) add(`c:${c}`, WEIGHTS.concept);
  const words = norm.split(' ').filter((w) => w && !STOPWORDS.has(w));
  words.forEach((w, i) => {
    add(`w:${w}`, WEIGHTS.word);
    if (i > 0) add(`b:${words[i - 1]} ${w}`, WEIGHTS.bigram);
    const padded = ` ${w} `;
    for (let j = 0; j + 3 <= padded.length; j++) add(`t:${padded.slice(j, j + 3)}`, WEIGHTS.trigram);
  });
  let sum = 0;
  for (let i = 0; i < dims; i++) sum += v[i]! * v[i]!;
  const n = Math.sqrt(sum);
  if (n > 0) for (let i = 0; i < dims; i++) v[i]! /= n;
  return v;
}

export function createOfflineEmbedder(dims = 384): Embedder {
  return {
    id: `offline-hash-v1-${dims}`,
    dims,
    async embed(texts) {
      return texts.map((t) => offlineEmbedding(t, dims));
    },
  };
}
