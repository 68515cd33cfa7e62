// Real-estate concepts and the words leads and listings use for them. The offline embedder adds
// one token per concept found, so "waterfront" and "sea view" land near each other without a
// model; hybrid search uses the same map to say which asked-for features a unit has.
// Canonical names are the feature labels the inventory uses.

export const CONCEPTS: ReadonlyArray<{ concept: string; phrases: readonly string[] }> = [
  { concept: 'sea view', phrases: ['sea view', 'sea views', 'ocean view', 'ocean views', 'waterfront', 'water view', 'water views', 'sea facing', 'beachfront', 'beach front', 'seafront', 'by the sea', 'seaside', 'overlooking the sea'] },
  { concept: 'beach access', phrases: ['beach access', 'private beach', 'beach', 'beachfront', 'walk to the beach'] },
  { concept: 'marina view', phrases: ['marina view', 'marina views', 'overlooking the marina'] },
  { concept: 'near metro', phrases: ['near metro', 'metro', 'subway', 'tube', 'underground station', 'train station', 'public transport', 'near the station'] },
  { concept: 'balcony', phrases: ['balcony', 'balconies', 'terrace', 'veranda'] },
  { concept: 'pool', phrases: ['pool', 'swimming pool', 'shared pool', 'communal pool'] },
  { concept: 'private pool', phrases: ['private pool', 'own pool', 'plunge pool'] },
  { concept: 'gym', phrases: ['gym', 'fitness', 'fitness centre', 'fitness center'] },
  { concept: 'pet friendly', phrases: ['pet friendly', 'pets allowed', 'pets', 'pet', 'dog', 'dogs', 'cat', 'cats'] },
  { concept: 'covered parking', phrases: ['covered parking', 'parking', 'garage', 'car park', 'parking space'] },
  { concept: 'maid room', phrases: ['maid room', 'maids room', 'maid s room', 'helper room', 'staff room', 'nanny room'] },
  { concept: 'study', phrases: ['study', 'study room', 'home office', 'office room'] },
  { concept: 'furnished', phrases: ['furnished', 'fully furnished'] },
  { concept: 'unfurnished', phrases: ['unfurnished', 'not furnished'] },
  { concept: 'high floor', phrases: ['high floor', 'top floor', 'upper floor', 'high rise', 'skyline view'] },
  { concept: 'golf view', phrases: ['golf view', 'golf course', 'golf'] },
  { concept: 'burj view', phrases: ['burj view', 'burj khalifa view', 'burj khalifa', 'burj'] },
  { concept: 'private garden', phrases: ['private garden', 'garden', 'yard', 'backyard', 'lawn'] },
  { concept: 'upgraded kitchen', phrases: ['upgraded kitchen', 'renovated kitchen', 'modern kitchen', 'new kitchen'] },
  { concept: 'chiller free', phrases: ['chiller free', 'no chiller', 'free chiller', 'chiller included'] },
];

/** Lower case, accents and punctuation gone, single spaces: the form phrases are matched in. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const MATCHERS = CONCEPTS.map(({ concept, phrases }) => ({
  concept,
  re: new RegExp(`(?:^| )(?:${phrases.map((p) => normaliseText(p)).sort((a, b) => b.length - a.length).join('|')})(?= |$)`),
}));

/** The concepts a text mentions, in CONCEPTS order. */
export function conceptsIn(text: string): string[] {
  const t = normaliseText(text);
  if (!t) return [];
  return MATCHERS.filter((m) => m.re.test(t)).map((m) => m.concept);
}
