import type { Unit } from './profile.schema';
import { conceptsIn } from './real-estate.synonyms';

// What a lead asks of the home itself ("sea view, near the metro, a big balcony") in their own
// words, for the semantic search, and why a unit fits those asks, in the unit's own wording
// ("5 min to metro" rather than our concept name), for the line the lead reads.

/** A clause that rules a feature out ("no pets", "not furnished"): the offline embedder cannot tell, so it is left out of the ask. */
const NEGATED_RE = /(?:^|[^a-z])(?:no|not|don'?t|doesn'?t|without|never|hate|avoid)(?![a-z])/i;
const MAX_TEXT = 300;

export interface AskedFeatures {
  /** The lead's clauses that name features, joined: what is embedded and searched. Empty: none asked. */
  text: string;
  /** The canonical concepts asked for, in first-asked order. */
  concepts: string[];
}

/** The features asked for across `texts` (oldest first); a later clause repeating a concept adds nothing. */
export function askedFeatures(texts: readonly string[]): AskedFeatures {
  const clauses: string[] = [];
  const concepts: string[] = [];
  for (const text of texts) {
    if (typeof text !== 'string') continue;
    for (const raw of text.split(/[.,;!?\n]+|\s+(?:and|also|plus|with)\s+/i)) {
      const clause = raw.trim();
      if (!clause || NEGATED_RE.test(clause)) continue;
      const found = conceptsIn(clause).filter((c) => !concepts.includes(c));
      if (found.length === 0) continue;
      concepts.push(...found);
      clauses.push(clause);
    }
  }
  let out = '';
  for (const c of clauses) {
    const next = out ? `${out}, ${c}` : c;
    if (next.length > MAX_TEXT) break;
    out = next;
  }
  return { text: out, concepts };
}

/** The asked concepts the unit has, each in the unit's own feature label when it has one. */
export function whyItFits(unit: Pick<Unit, 'features' | 'title' | 'description'>, concepts: readonly string[]): string[] {
  if (concepts.length === 0) return [];
  const rest = conceptsIn(`${unit.title}\n${unit.description ?? ''}`);
  const out: string[] = [];
  for (const concept of concepts) {
    const label = unit.features.find((f) => conceptsIn(f).includes(concept));
    const why = label ?? (rest.includes(concept) ? concept : null);
    if (why && !out.includes(why)) out.push(why);
  }
  return out;
}
