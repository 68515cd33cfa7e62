// Erasing a person from the inbound event log: every value of a stored webhook body that holds
// one of their identifiers, their name or the words of one of their messages becomes
// "[erased]"; the rest of the body (other people in the same batch, ids, statuses) stays
// readable. A body that cannot be read as JSON or a form is replaced whole.

export const ERASED_VALUE = '[erased]';

function mentions(value: string, needles: string[]): boolean {
  const lower = value.toLowerCase();
  return needles.some((n) => lower.includes(n));
}

function redactJson(value: unknown, needles: string[]): unknown {
  if (typeof value === 'string') return mentions(value, needles) ? ERASED_VALUE : value;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, needles));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJson(v, needles)]));
  return value;
}

export function redactRawBody(raw: string, contentType: string | null, needles: string[]): string {
  const lowered = [...new Set(needles.map((n) => n.trim().toLowerCase()).filter((n) => n.length >= 2))];
  if (lowered.length === 0) return raw;
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(raw);
    const out = new URLSearchParams();
    for (const [k, v] of params) out.append(k, mentions(v, lowered) ? ERASED_VALUE : v);
    const redacted = out.toString();
    return mentions(redacted, lowered) ? ERASED_VALUE : redacted;
  }
  try {
    const redacted = JSON.stringify(redactJson(JSON.parse(raw), lowered));
    // A needle split across values (or in a key) is not worth the risk: the body goes whole.
    return mentions(redacted, lowered) ? ERASED_VALUE : redacted;
  } catch {
    return ERASED_VALUE;
  }
}
