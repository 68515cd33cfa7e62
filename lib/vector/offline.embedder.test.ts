import { describe, expect, it } from 'vitest';
import { conceptsIn } from '../../domain/real-estate.synonyms';
import { createOfflineEmbedder, offlineEmbedding } from './offline.embedder';

const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('real-estate synonyms', () => {
  it('reads the concepts a lead asks for, whatever words they use', () => {
    expect(conceptsIn('Sea view, near the metro, a BIG balcony!')).toEqual(['sea view', 'near metro', 'balcony']);
    expect(conceptsIn('waterfront flat close to the subway with a terrace')).toEqual(['sea view', 'near metro', 'balcony']);
    expect(conceptsIn('unfurnished')).toEqual(['unfurnished']);
    expect(conceptsIn('metropolitan overseas gardening')).toEqual([]);
    expect(conceptsIn('')).toEqual([]);
  });
});

describe('offline embedder', () => {
  it('gives deterministic unit-length vectors of its size', async () => {
    const e = createOfflineEmbedder(256);
    const [a, b] = await e.embed(['2 bed apartment, sea view', '2 bed apartment, sea view']);
    expect(e.id).toBe('offline-hash-v1-256');
    expect(a).toHaveLength(256);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(Math.sqrt(cos(a!, a!))).toBeCloseTo(1, 5);
    expect(Array.from(offlineEmbedding('', 8))).toEqual(new Array(8).fill(0));
  });

  it('puts synonyms closer than other features', () => {
    const q = offlineEmbedding('waterfront apartment close to the subway', 384);
    const same = offlineEmbedding('Apartment with sea view, near metro', 384);
    const other = offlineEmbedding('Apartment with golf view, covered parking', 384);
    expect(cos(q, same)).toBeGreaterThan(cos(q, other) + 0.2);
  });

  it('tolerates word forms through character trigrams', () => {
    const q = offlineEmbedding('renovated', 384);
    expect(cos(q, offlineEmbedding('renovation', 384))).toBeGreaterThan(cos(q, offlineEmbedding('parking', 384)));
  });
});
