import { type LeadProfile, type Unit } from '../profile.schema';
import { type Ask } from './offline-agent.copy';
import { type NonText } from './offline-agent.rules';

// How the offline agent words things: names, money, unit lines and the summary of what a lead
// is after. Pure string building, shared by every reply it writes.

const CUR_SYMBOL: Readonly<Record<string, string>> = { GBP: '£', USD: '$', EUR: '€', INR: '₹' };

export function firstName(name: string | null | undefined): string | null {
  if (!name) return null;
  const f = name.trim().split(/\s+/)[0] ?? '';
  if (!f || /^(test|lead|unknown|customer|user|n\/a)$/i.test(f) || f.length > 30) return null;
  return f.charAt(0).toUpperCase() + f.slice(1);
}

export function money(amount: number, currency: string): string {
  let s: string;
  if (currency === 'INR' && amount >= 1e7) s = `${+(amount / 1e7).toFixed(2)} Cr`;
  else if (currency === 'INR' && amount >= 1e5) s = `${+(amount / 1e5).toFixed(1)} L`;
  else if (amount >= 1e6) s = `${+(amount / 1e6).toFixed(2)}M`;
  else if (amount >= 1e4) s = `${Math.round(amount / 1e3)}k`;
  else s = amount.toLocaleString('en-US');
  const sym = CUR_SYMBOL[currency];
  return sym ? `${sym}${s}` : `${currency} ${s}`;
}

export function unitLine(u: Unit, i: number): string {
  const what = `${u.beds === 0 ? 'Studio' : `${u.beds}-bed ${u.propertyType}`} in ${u.area}`;
  const period = u.listing === 'rent' ? (u.rentPeriod === 'month' ? '/month' : '/year') : '';
  const feature = u.features.find((f) => !/furnished/i.test(f));
  const facts = [
    `${money(u.price, u.currency)}${period}`,
    u.areaM2 ? `${Math.round(u.areaM2)} m²` : null,
    u.completion === 'off-plan' ? 'off-plan' : null,
    feature ?? null,
  ].filter((x): x is string => Boolean(x));
  return `${i + 1}. *${what}*: ${facts.join(' · ')}`;
}

/** A unit's line with the asked features it has, so the lead sees why it was sent. */
export function withWhy(line: string, why: readonly string[], english: boolean): string {
  return why.length > 0 ? `${line}\n   ${english ? 'Why' : '✓'}: ${why.join(', ')}` : line;
}

/** A stable pseudo-random pick, so replies vary between leads and turns yet replay identically. */
export function pick<T>(options: readonly T[], seed: string): T {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return options[Math.abs(h) % options.length]!;
}

/** Upper-cases the start of every sentence, so joined fragments never read "Thanks Omar! you're". */
export function sentenceCase(text: string): string {
  return text.replace(/(^|[.!?]\s+|\n\s*)(\p{Ll})/gu, (_m, pre: string, ch: string) => `${pre}${ch.toUpperCase()}`);
}

export function list(items: readonly string[]): string {
  return items.length > 2 ? `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}` : items.join(' or ');
}

/** What the lead is after, as a phrase: "a 2-bed apartment to rent in Dubai Marina, up to AED 120k a year". */
export function summary(p: LeadProfile): string {
  const bits: string[] = [];
  const beds = p.bedsMin === 0 && p.bedsMax === 0 ? 'studio'
    : p.bedsMin !== null && p.bedsMax !== null && p.bedsMin !== p.bedsMax ? `${p.bedsMin === 0 ? 'studio' : p.bedsMin}-${p.bedsMax} bed`
      : p.bedsMin !== null && p.bedsMax === null ? `${p.bedsMin}+ bed`
        : p.bedsMin !== null ? `${p.bedsMin}-bed` : '';
  const type = p.propertyType && !(beds === 'studio' && p.propertyType === 'apartment') ? p.propertyType : '';
  const what = [beds, type].filter(Boolean).join(' ');
  const purpose = p.persona === 'tenant' ? 'to rent' : p.persona === 'buyer' ? 'to buy' : '';
  const where = p.areas.length ? `in ${list(p.areas)}` : p.city ? `in ${p.city}` : '';
  const asInvestment = p.persona === 'investor' ? 'as an investment' : '';
  const head = what
    ? [`${/^[aeiou8]|^1[18]-/.test(what) ? 'an' : 'a'} ${what}`, purpose, where, asInvestment]
    : p.persona === 'investor' ? ['an investment', where]
      : [p.persona === 'tenant' ? 'a place to rent' : p.persona ? 'a place to buy' : where ? 'a place' : '', where];
  const headText = head.filter(Boolean).join(' ');
  if (headText) bits.push(headText);
  if (p.currency && (p.budgetMax !== null || p.budgetMin !== null)) {
    const per = p.budgetPeriod === 'year' ? ' a year' : p.budgetPeriod === 'month' ? ' a month' : '';
    if (p.budgetMin !== null && p.budgetMax !== null) bits.push(`${money(p.budgetMin, p.currency)} to ${money(p.budgetMax, p.currency)}${per}`);
    else if (p.budgetMax !== null) bits.push(`up to ${money(p.budgetMax, p.currency)}${per}`);
    else bits.push(`from ${money(p.budgetMin!, p.currency)}${per}`);
  }
  return bits.join(', ');
}

/** The English answer to a photo, voice note, pin, contact or reaction, and what it asks next. */
export function englishNonTextReply(
  special: NonText,
  c: { last: string; greet: string; next: string | null; handedOff: boolean; seed: string; ask: Ask | null },
): { text: string; ask: Ask | null } {
  const { last, greet, next, handedOff, seed } = c;
  let text: string;
  let ask = c.ask;
  switch (special.kind) {
    case 'voice':
      text = `${greet}${pick(["Sorry, I can't play voice notes on this chat.", "I'm afraid voice notes don't come through on my side."], seed)} ${pick(['Could you type it out for me?', 'Would you mind sending it as a text?'], `${seed}:v`)}`;
      ask = null;
      break;
    case 'photo':
    case 'document':
      text = `${greet}${special.kind === 'photo' ? 'Thanks for the photo!' : 'Thanks for sending that over!'} ${pick(["I can't open attachments on this chat, so", "It doesn't open on my side, so"], seed)} ${next ? next.charAt(0).toLowerCase() + next.slice(1) : 'could you tell me in a few words what you are looking for?'}`;
      break;
    case 'location':
      text = `${greet}Thanks for the pin! ${pick(['Which area or community is that, so I can search around there?', 'What is the area called? I will look for options nearby.'], seed)}`;
      ask = 'area';
      break;
    case 'contact':
      text = `${greet}Thanks for sharing the contact, I'll pass it on to the team.${next ? ` ${next}` : ''}`;
      break;
    default: {
      if (/removed/.test(last)) { text = next ?? 'Anything else I can help with?'; break; }
      const ack = pick(['👍', 'Great!', 'Lovely!'], seed);
      text = `${greet}${ack}${next ? ` ${next}` : handedOff ? ' Our consultant will be in touch shortly.' : ' Would you like me to send a few more options?'}`;
    }
  }
  return { text, ask };
}
