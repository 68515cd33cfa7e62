import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { asciiDigits } from './numerals';
import { isValidEmail } from './contact.validator';
import type { Market } from './profile.schema';

// Contact details a lead types in a chat ("My name is Hannah, my number is +971 55 987 6543",
// "اسمي سارة", "मेरा नाम प्रिया है", "mera naam Rahul hai"), validated: a phone only when it is
// a real number for its country (the market is the default region), an e-mail only when well
// formed, a name only from an explicit "my name is" and never a property word. They are the
// lead's claim, not a verified identity: the caller keeps them apart from the matching keys.

export interface ClaimedContact {
  name: string | null;
  /** E.164. */
  phone: string | null;
  email: string | null;
}

const NAME_INTROS: readonly RegExp[] = [
  /\b(?:my name is|my name's|name is|i am called|call me|this is|i'?m|i am)\s+([\p{Lu}][\p{L}'-]{1,30}(?:\s+[\p{Lu}][\p{L}'-]{1,30})?)/u,
  /(?:اسمي|أنا اسمي|انا اسمي|معك)\s+([\u0621-\u064a]{2,20}(?:\s+(?!و)[\u0621-\u064a]{2,20})?)/u,
  /(?:मेरा नाम|मेरा नाम है)\s+([\u0900-\u097f]{2,20}(?:\s+[\u0900-\u097f]{2,20})?)/u,
  /\b(?:mera naam|mera name|my naam)\s+([a-z][a-z'-]{1,30})(?:\s+(?:hai|he|h)\b)?/iu,
];
/** Words that follow "I'm" and are no name: "I'm looking", "I'm interested", "this is urgent". */
const NOT_A_NAME = /^(?:looking|interested|searching|a|an|the|not|also|just|very|really|from|in|at|on|with|ready|happy|fine|good|ok|okay|here|buying|renting|selling|investing|after|planning|thinking|moving|relocating|urgent|available|free|busy|sure|hoping|trying|still|currently|wondering|asking|going|calling|writing|new|back|done|open|flexible|around|about|there|Hi|Hello)$/i;
const TRAILING_HINDI = /\s+(?:है|हूँ|हूं)$/u;

function claimedName(text: string): string | null {
  for (const re of NAME_INTROS) {
    const m = re.exec(text);
    const raw = m?.[1]?.replace(TRAILING_HINDI, '').trim();
    if (!raw) continue;
    const first = raw.split(/\s+/)[0]!;
    if (NOT_A_NAME.test(first)) continue;
    const words = raw.split(/\s+/).filter((w) => !NOT_A_NAME.test(w) && !/^(?:and|my|number|phone|email|hai|he|h)$/i.test(w));
    if (words.length === 0) continue;
    const name = words.join(' ');
    return /^[a-z]/.test(name) ? name.charAt(0).toUpperCase() + name.slice(1) : name;
  }
  return null;
}

function claimedPhone(text: string, market: Market): string | null {
  for (const found of findPhoneNumbersInText(text, { defaultCountry: market as CountryCode })) {
    if (found.number.isValid()) return found.number.number;
  }
  // "00971 55 …" is how many type the international prefix.
  const intl = /(?:^|[^\d])00([1-9][\d\s-]{7,16}\d)/.exec(text);
  if (intl) {
    const parsed = parsePhoneNumberFromString(`+${intl[1]!.replace(/[\s-]/g, '')}`);
    if (parsed?.isValid()) return parsed.number;
  }
  return null;
}

function claimedEmail(text: string): string | null {
  for (const m of text.matchAll(/[^\s<>(),;:"']+@[^\s<>(),;:"']+/g)) {
    const candidate = m[0].replace(/[.!?]+$/, '').toLowerCase();
    if (isValidEmail(candidate)) return candidate;
  }
  return null;
}

/** The contact details in one message; all null when it has none. */
export function extractContactDetails(text: string, market: Market): ClaimedContact {
  if (typeof text !== 'string' || text.length === 0) return { name: null, phone: null, email: null };
  const t = asciiDigits(text.length > 2000 ? text.slice(0, 2000) : text);
  return { name: claimedName(t), phone: claimedPhone(t, market), email: claimedEmail(t) };
}

/** Details across a conversation's lead messages: the newest of each kind wins. */
export function contactDetailsIn(messages: ReadonlyArray<{ from: string; text: string }>, market: Market): ClaimedContact {
  const out: ClaimedContact = { name: null, phone: null, email: null };
  for (const m of messages) {
    if (m.from !== 'lead') continue;
    const d = extractContactDetails(m.text, market);
    out.name = d.name ?? out.name;
    out.phone = d.phone ?? out.phone;
    out.email = d.email ?? out.email;
  }
  return out;
}
