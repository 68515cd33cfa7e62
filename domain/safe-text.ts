// Text from outside (webhooks, web chat, broker forms, the Graph API) reaches Postgres, Temporal
// payloads and JSON columns. Postgres refuses NUL in text and lone surrogates in jsonb, so one
// such character would make every write of it fail for ever; both are removed at the edge, with
// the other C0 controls (tab, newline and carriage return stay).

// Lone surrogates: a high one not followed by a low one, or a low one not preceded by a high one.
const UNSAFE_SOURCE = String.raw`[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]`;
const UNSAFE_ONE = new RegExp(UNSAFE_SOURCE);
const UNSAFE_ALL = new RegExp(UNSAFE_SOURCE, 'g');

/** The text without NUL, other C0 controls and lone surrogates, cut to `max` characters (never inside a surrogate pair). */
export function cleanText(value: string, max = Number.POSITIVE_INFINITY): string {
  const clean = UNSAFE_ONE.test(value) ? value.replace(UNSAFE_ALL, '') : value;
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  // Do not leave the high half of a pair at the end.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Whether `cleanText` would change the text (for counting what the edge repaired). */
export function isCleanText(value: string): boolean {
  return !UNSAFE_ONE.test(value);
}

/**
 * Every string in a JSON-like value cleaned (and cut to `maxString`); arrays and objects are
 * bounded too, so one hostile body cannot grow a jsonb column without limit.
 */
export function cleanJson(value: unknown, limits: { maxString?: number; maxItems?: number; maxDepth?: number } = {}, depth = 0): unknown {
  const { maxString = 4096, maxItems = 200, maxDepth = 12 } = limits;
  if (typeof value === 'string') return cleanText(value, maxString);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= maxDepth) return null;
  if (Array.isArray(value)) return value.slice(0, maxItems).map((v) => cleanJson(v, limits, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, maxItems)) out[cleanText(k, 255)] = cleanJson(v, limits, depth + 1);
  return out;
}
