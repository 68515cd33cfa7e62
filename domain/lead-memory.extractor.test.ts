import { describe, expect, it } from 'vitest';
import { extractLeadMemories, MAX_MEMORY_CHARS } from './lead-memory.extractor';

const NOW = '2026-11-30T10:00:00Z';
const texts = (text: string) => extractLeadMemories({ id: 'wamid.1', text }, 'AE', NOW).map((m) => m.text);

describe('lead memories from one message', () => {
  it('turns features, family and finance into short items tied to the message', () => {
    const items = extractLeadMemories({ id: 'wamid.42', text: 'We have two kids so we need a school nearby. A big balcony please, and we pay cash' }, 'AE', NOW);
    expect(items.map((i) => i.text)).toEqual(expect.arrayContaining(['has two kids', 'needs a school nearby', 'wants a big balcony', 'budget is cash']));
    expect(items.every((i) => i.messageId === 'wamid.42')).toBe(true);
    expect(items.find((i) => i.text === 'has two kids')?.kind).toBe('fact');
    expect(items.find((i) => i.text === 'wants a big balcony')?.kind).toBe('preference');
  });

  it('reads the profile fields the parser finds and features by their synonyms', () => {
    const t = texts('Looking to buy a 2 bed in Dubai Marina up to 2.5M AED, waterfront and close to the subway');
    expect(t).toEqual(expect.arrayContaining(['wants to buy', 'interested in Dubai Marina', 'budget up to AED 2.5M', 'wants a sea view', 'wants near metro']));
  });

  it('keeps a feature the lead rules out as such', () => {
    expect(texts('no pets in the building please')).toContain('does not want pet friendly');
    expect(texts('no pets in the building please')).not.toContain('wants pet friendly');
  });

  it('remembers nothing from small talk or media markers, and bounds every item', () => {
    expect(texts('ok thanks')).toEqual([]);
    expect(texts('[photo]')).toEqual([]);
    expect(texts(`I work at ${'A'.repeat(300)}`).every((t) => t.length <= MAX_MEMORY_CHARS)).toBe(true);
    expect(texts('I have a dog and I work in DIFC.')).toEqual(expect.arrayContaining(['has a dog', 'works near DIFC']));
  });
});
