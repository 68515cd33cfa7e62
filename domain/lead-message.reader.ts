import { nearestArea } from './pin.matcher';

// Non-text WhatsApp messages reach us as markers ("[photo]", "[voice message]", "[location: Dubai
// Marina Mall (25.07, 55.14)]", "[order: 1 × sku @ 30 USD] — note", "[reacted 👍 to a message]").
// Only the lead's own words feed the profile: a caption, a document's caption, an order's note.
// A pin's name and address, an order's items and prices and a shared contact card are someone
// else's text (a ZIP code or an item price is not a budget); a pin counts by its coordinates.
const NON_TEXT_RE = /^\s*\[(photo|image|picture|video|gif|voice (?:note|message)|audio|sticker|animated sticker|document|file|location|shared contact|contact|order|reacted [^\]]{0,40} to a message|removed a reaction)(?::\s?([^\]]*))?\](?:\s?—\s?(.*))?\s*$/is;
const PIN_RE = /\(\s?(-?\d{1,2}(?:\.\d+)?),\s?(-?\d{1,3}(?:\.\d+)?)\s?\)\s*$/;

/** The known area a shared location pin falls in (areas.json centroids), or null. */
export function pinnedArea(text: string): { area: string; city: string } | null {
  const m = NON_TEXT_RE.exec(text.length > 2000 ? text.slice(0, 2000) : text);
  if (!m || (m[1] ?? '').toLowerCase() !== 'location') return null;
  const pin = PIN_RE.exec(m[2] ?? '');
  if (!pin) return null;
  const hit = nearestArea(Number(pin[1]), Number(pin[2]));
  return hit ? { area: hit.area, city: hit.city } : null;
}

/** What a lead message says in their own words: a caption or note of a non-text message, else the text. */
export function readableLeadText(text: string): string {
  const m = NON_TEXT_RE.exec(text.length > 2000 ? text.slice(0, 2000) : text);
  if (!m) return text;
  const kind = (m[1] ?? '').toLowerCase();
  const detail = (m[2] ?? '').trim();
  if (kind === 'order') return (m[3] ?? '').trim();
  if (kind === 'location' || kind === 'shared contact' || kind === 'contact') return '';
  // a document's "brochure.pdf — caption": keep the caption
  return detail.includes(' — ') ? detail.slice(detail.indexOf(' — ') + 3) : detail;
}
