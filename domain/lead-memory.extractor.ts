import { extractProfile } from './profile.extractor';
import type { Market } from './profile.schema';
import { CONCEPTS, conceptsIn, normaliseText } from './real-estate.synonyms';

// Lead memories: the facts and preferences in one lead message as short items ("wants a big
// balcony", "has two kids", "needs a school nearby", "budget is cash"), each tied to the message
// it came from. Not a transcript: an item is what a good agent would jot down, so it can be
// recalled many turns (and continue-as-new runs) later and searched by meaning.

export type LeadMemoryKind = 'fact' | 'preference';

export interface LeadMemoryItem {
  kind: LeadMemoryKind;
  /** Short, third person, at most MAX_MEMORY_CHARS. */
  text: string;
  /** The provider id of the lead message it came from. */
  messageId: string;
}

export const MAX_MEMORY_CHARS = 120;
/** More than this from one message is a paste, not a chat: keep the first ones. */
const MAX_ITEMS_PER_MESSAGE = 12;

const NEGATED_RE = /(?:^|[^a-z])(?:no|not|don'?t|doesn'?t|without|never|hate|avoid)(?![a-z])/i;
const SIZE_RE = /(?:^| )(big|large|huge|spacious|wide|small|private|shared)$/;
const NUMBER_WORDS: Readonly<Record<string, number>> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };
const COUNT_WORDS: readonly string[] = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const KIDS_RE = /(?:^|[^a-z])(?:have|has|got|with|we'?ve got|i'?ve got)\s+(a|an|one|two|three|four|five|six|\d)\s+(?:little\s+|young\s+|small\s+)?(kids?|children|child|sons?|daughters?|babies|baby|toddlers?)(?![a-z])/i;
const SCHOOL_RE = /(?:^|[^a-z])(?:schools?|nursery|nurseries)(?![a-z])/i;
const PET_RE = /(?:^|[^a-z])(?:have|has|got|with|own)\s+(?:a|an|two|three|\d)?\s*(?:small\s+|big\s+|large\s+)?(dogs?|cats?|pets?|puppy|kitten)(?![a-z])/i;
const WORK_RE = /(?:^|[^a-z])(?:[Ii]|[Ww]e|[Mm]y (?:husband|wife|partner))\s+(?:work|works|working|am working|are working)\s+(?:in|at|near|from)\s+([A-Z][\p{L}\d&' -]{1,40}?)(?=[.,;!?]|\s+(?:and|so|but)\b|$)/u;
const FAMILY_RE = /(?:^|[^a-z])(?:family of|we are|we're)\s+(\d|two|three|four|five|six)(?:\s+people)?(?![a-z])/i;
const DEADLINE_RE = /(?:^|[^a-z])(?:lease|contract|tenancy)\s+(?:ends|expires|is up|runs out)\s+(?:in|on|by|at the end of)\s+([\p{L}\d ]{3,25}?)(?=[.,;!?]|$)/iu;

const FINANCE_TEXT = { cash: 'budget is cash', preapproved: 'mortgage is pre-approved', mortgage: 'needs a mortgage' } as const;
const PERSONA_TEXT = { buyer: 'wants to buy', tenant: 'wants to rent', investor: 'is buying as an investment' } as const;
const TIMELINE_TEXT = { '0-3m': 'wants to move within 3 months', '3-6m': 'wants to move in 3 to 6 months', '6-12m': 'wants to move within a year', '12m+': 'is planning more than a year ahead' } as const;

function clip(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > MAX_MEMORY_CHARS ? `${t.slice(0, MAX_MEMORY_CHARS - 1)}…` : t;
}

function amount(n: number, currency: string | null): string {
  const v = n >= 1e6 ? `${+(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${Math.round(n / 1e3)}k` : String(n);
  return currency ? `${currency} ${v}` : v;
}

/** The feature asks of one clause: "wants a big balcony", or "does not want pets" when ruled out. */
function featureItems(clause: string): string[] {
  const concepts = conceptsIn(clause);
  if (concepts.length === 0) return [];
  const negated = NEGATED_RE.test(clause);
  const norm = normaliseText(clause);
  return concepts.map((concept) => {
    const phrases = CONCEPTS.find((c) => c.concept === concept)?.phrases ?? [];
    // the size word the lead put before the feature ("a big balcony") is what they care about
    let size = '';
    for (const p of phrases) {
      const at = norm.indexOf(normaliseText(p));
      if (at > 0) size = SIZE_RE.exec(norm.slice(0, at).trim())?.[1] ?? '';
      if (at >= 0) break;
    }
    const what = size && !concept.startsWith(size) ? `${size} ${concept}` : concept;
    return negated ? `does not want ${what}` : `wants ${/^(near|pet|high|chiller|furnished|unfurnished)/.test(what) ? what : `a ${what}`}`;
  });
}

/**
 * The memory items in one lead message. `market` and `now` let the shared parser read budgets
 * and timelines the way the profile does; items come back in a stable order with no repeats.
 */
export function extractLeadMemories(message: { id: string; text: string }, market: Market, now: string): LeadMemoryItem[] {
  const text = typeof message.text === 'string' ? message.text.slice(0, 4000) : '';
  if (!text.trim() || /^\s*\[[^\]]*\]\s*$/.test(text)) return [];
  const out: LeadMemoryItem[] = [];
  const add = (kind: LeadMemoryKind, t: string) => {
    const item = clip(t);
    if (item && !out.some((o) => o.text === item)) out.push({ kind, text: item, messageId: message.id });
  };

  const kids = KIDS_RE.exec(text);
  if (kids) {
    const n = NUMBER_WORDS[kids[1]!.toLowerCase()] ?? Number(kids[1]);
    const base = kids[2]!.toLowerCase().replace(/ren$/, '').replace(/ies$/, 'y').replace(/s$/, '');
    const plural = base === 'child' ? 'children' : base === 'baby' ? 'babies' : `${base}s`;
    add('fact', n === 1 ? `has a ${base}` : `has ${COUNT_WORDS[n] ?? n} ${plural}`);
  }
  if (SCHOOL_RE.test(text) && !NEGATED_RE.test(text.slice(Math.max(0, text.search(SCHOOL_RE) - 25), text.search(SCHOOL_RE)))) add('preference', 'needs a school nearby');
  const pet = PET_RE.exec(text);
  if (pet) add('fact', `has a ${pet[1]!.toLowerCase().replace(/s$/, '')}`);
  const family = FAMILY_RE.exec(text);
  if (family) add('fact', `family of ${NUMBER_WORDS[family[1]!.toLowerCase()] ?? family[1]}`);
  const work = WORK_RE.exec(text);
  if (work) add('fact', `works near ${work[1]!.trim()}`);
  const deadline = DEADLINE_RE.exec(text);
  if (deadline) add('fact', `current lease ends ${deadline[1]!.trim()}`);

  for (const clause of text.split(/[.,;!?\n]+|\s+(?:and|also|plus)\s+/i)) for (const item of featureItems(clause)) add('preference', item);

  // the profile fields, read by the same parser the agent uses, as one line each
  const p = extractProfile([{ from: 'lead', text }], market, now);
  if (p.persona) add('preference', PERSONA_TEXT[p.persona]);
  if (p.areas.length > 0) add('preference', `interested in ${p.areas.join(', ')}`);
  else if (p.city) add('preference', `looking in ${p.city}`);
  const beds = p.bedsMin === 0 && p.bedsMax === 0 ? 'a studio' : p.bedsMin !== null ? `${p.bedsMin}${p.bedsMax !== null && p.bedsMax !== p.bedsMin ? `-${p.bedsMax}` : p.bedsMax === null ? '+' : ''} bedrooms` : null;
  if (beds || p.propertyType) add('preference', `wants ${[beds, p.propertyType && !(beds === 'a studio') ? `(${p.propertyType})` : null].filter(Boolean).join(' ')}`);
  if (p.budgetMax !== null || p.budgetMin !== null) {
    const per = p.budgetPeriod === 'year' ? ' a year' : p.budgetPeriod === 'month' ? ' a month' : '';
    const range = p.budgetMin !== null && p.budgetMax !== null ? `${amount(p.budgetMin, p.currency)} to ${amount(p.budgetMax, p.currency)}` : p.budgetMax !== null ? `up to ${amount(p.budgetMax, p.currency)}` : `from ${amount(p.budgetMin!, p.currency)}`;
    add('preference', `budget ${range}${per}`);
  }
  if (p.finance) add('fact', FINANCE_TEXT[p.finance]);
  if (p.timeline) add('preference', TIMELINE_TEXT[p.timeline]);
  return out.slice(0, MAX_ITEMS_PER_MESSAGE);
}
