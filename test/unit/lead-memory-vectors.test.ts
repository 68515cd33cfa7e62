import { describe, expect, it } from 'vitest';
import { rankByCosine } from '../../activities/memory/lead-memory-vectors.store';
import { createOfflineEmbedder } from '../../lib/vector/offline.embedder';

// Ranking a lead's memories on their rows (ADR 019): by meaning, exactly, whatever the vectors' length.

describe('rankByCosine', () => {
  const v = (...xs: number[]) => Float32Array.from(xs);

  it('orders by cosine similarity, not by length, and cuts at the limit', () => {
    const items = [
      { id: 'far', vector: v(0, 1) },
      { id: 'long-near', vector: v(10, 1) },
      { id: 'near', vector: v(1, 0.05) },
    ];
    expect(rankByCosine(v(1, 0), items, 2)).toEqual(['near', 'long-near']);
  });

  it('keeps the given order on ties and skips vectors of another size or none', () => {
    const items = [
      { id: 'a', vector: v(1, 0) },
      { id: 'zero', vector: v(0, 0) },
      { id: 'b', vector: v(2, 0) },
      { id: 'other-dims', vector: v(1, 0, 0) },
    ];
    expect(rankByCosine(v(1, 0), items, 10)).toEqual(['a', 'b', 'zero']);
  });

  it('finds the balcony among a lead memories with the offline embedder', async () => {
    const e = createOfflineEmbedder();
    const texts = ['has two kids', 'needs a school nearby', 'wants a big balcony', 'budget up to AED 3M'];
    const vectors = await e.embed(texts);
    const [q] = await e.embed(['is there a balcony?']);
    expect(rankByCosine(q!, texts.map((id, i) => ({ id, vector: vectors[i]! })), 1)).toEqual(['wants a big balcony']);
  });
});
