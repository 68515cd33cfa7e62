import { describe, expect, it } from 'vitest';
import { askedFeatures, whyItFits } from './unit-features.matcher';

describe('asked features', () => {
  it("keeps the lead's own clauses that name features, across messages, without repeats or ruled-out ones", () => {
    const a = askedFeatures(['Hi, 2 bed in Dubai Marina', 'sea view, near the metro, a big balcony', 'no pets', 'also a balcony']);
    expect(a.concepts).toEqual(['sea view', 'near metro', 'balcony']);
    expect(a.text).toBe('sea view, near the metro, a big balcony');
    expect(askedFeatures(['just a 2 bed please']).text).toBe('');
  });
});

describe('why a unit fits', () => {
  it("answers in the unit's own feature labels, else the concept its description names", () => {
    const unit = { title: 'Flat', description: 'Bright flat with a large terrace.', features: ['Sea view', '5 min walk to metro'] };
    expect(whyItFits(unit, ['sea view', 'near metro', 'balcony', 'pool'])).toEqual(['Sea view', '5 min walk to metro', 'balcony']);
    expect(whyItFits(unit, [])).toEqual([]);
  });
});
