import type { Unit } from './profile.schema';

// The message a broker sends when they share one unit with a lead from the inventory page or
// the lead page ("send to lead"): what it is, the facts a lead checks first, why it fits what
// they asked for (when we know), and the reference the broker and lead can quote.

const SYMBOL: Readonly<Record<string, string>> = { GBP: '£', USD: '$', EUR: '€', INR: '₹' };

function priceText(u: Pick<Unit, 'price' | 'currency' | 'listing' | 'rentPeriod'>): string {
  const n = u.price;
  const v = n >= 1e6 ? `${+(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${Math.round(n / 1e3)}k` : n.toLocaleString('en-US');
  const sym = SYMBOL[u.currency];
  const per = u.listing === 'rent' ? (u.rentPeriod === 'month' ? '/month' : '/year') : '';
  return `${sym ? `${sym}${v}` : `${u.currency} ${v}`}${per}`;
}

export function unitShareText(u: Unit, why: readonly string[]): string {
  const what = `${u.beds === 0 ? 'Studio' : `${u.beds}-bed ${u.propertyType}`} in ${u.area}`;
  const facts = [priceText(u), u.areaM2 ? `${Math.round(u.areaM2)} m²` : null, u.completion === 'off-plan' ? 'off-plan' : null, ...u.features.slice(0, 3)]
    .filter((x): x is string => Boolean(x));
  return [
    `Here is a home I think you'll like: *${what}* (${u.listing === 'rent' ? 'to rent' : 'for sale'})`,
    facts.join(' · '),
    why.length > 0 ? `Why: ${why.join(', ')}` : null,
    `Ref ${u.id}. Would you like to see it?`,
  ].filter((x): x is string => x !== null).join('\n');
}
