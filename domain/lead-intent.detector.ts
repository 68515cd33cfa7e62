import type { InboundMessage } from './inbound-message.schema';
import { parseProposedTime, type ProposedTime } from './proposed-time.parser';

// What a burst of inbound messages asks us to DO, beyond answering: a viewing (a tapped "Book a
// viewing" button, or the words, with or without a proposed time), a call at a time ("please
// call after 6pm"), a shared contact card (a referral, or a new lead when the card is someone
// looking for property), a removed reaction (nothing to answer), a message of a kind we cannot
// read (ask for text), or the first message of a lead someone referred (a broker calls them).
// English, Arabic (MSA, Gulf) and Hindi (Devanagari, Hinglish). Pure: the workflow acts on it.

export interface SharedCard {
  name: string | null;
  phones: string[];
  waIds: string[];
  emails: string[];
}

export type LeadAction =
  | { kind: 'viewing'; time: ProposedTime | null }
  | { kind: 'callback'; time: ProposedTime }
  | { kind: 'referral'; cards: SharedCard[]; seeker: boolean }
  | { kind: 'referred' }
  /** A lead we know only from a system note (a Lead Ads lead whose answers could not be fetched): a person looks it up. */
  | { kind: 'lookup'; note: string }
  | { kind: 'silent' }
  | { kind: 'unsupported' };

export interface IntentContext {
  nowMs: number;
  /** The lead's IANA time zone: proposed times are read as the lead meant them. */
  timeZone: string;
}

const VIEWING_PAYLOAD_RE = /view|visit|book|tour|appointment|معاين|زيار|देख|विज़िट|विजिट/i;
const VIEWING_WORDS_RE = new RegExp(
  [
    String.raw`\bviewings?\b`,
    String.raw`\b(?:book|arrange|schedule|set up|organi[sz]e)\s+(?:a\s+|the\s+)?(?:viewing|visit|tour|showing)\b`,
    String.raw`\b(?:see|view|visit|check out|tour)\s+(?:it|the (?:property|place|flat|apartment|villa|unit|house|townhouse|penthouse|one)|this (?:property|place|flat|apartment|villa|unit|one)|that (?:property|place|flat|apartment|villa|unit|one)|them)\b`,
    String.raw`\b(?:site|property) visit\b`,
    'معاينة|معاينه|مشاهدة العقار|زيارة العقار|زيارة الشقة|زيارة الفيلا|اشوف الشقة|أشوف الشقة|اشوف الفيلا|أشوف الفيلا|أشوفها|اشوفها|أزور|ازور',
    'देखने|देखना है|विज़िट|विजिट|साइट विज़िट',
    String.raw`\b(?:flat|ghar|property|villa|apartment|makaan|makan)\s+dekh(?:na|ne|nā)\b|\bdekhne\s+(?:aa|aana|aayenge|aaunga|aaungi|chalenge)\b|\bsite visit\b`,
  ].join('|'),
  'i',
);
const CALL_WORDS_RE = /\b(?:call|ring|phone)\b|اتصل|اتصلوا|اتصال|كلمني|كلموني|تواصل|कॉल|फ़ोन|फोन|\bcall kar(?:o|na|ein|en)?\b/i;
const SEEKER_RE =
  /\b(?:is|are|was)\s+(?:looking|searching|hunting)\b|\b(?:wants?|needs?|would like)\s+(?:to\s+)?(?:buy|rent|invest|a (?:flat|place|home|house|villa|apartment))|\binterested in (?:buying|renting|a)\b|\blooking for\b|يبحث|تبحث|يدور|تدور|يبي|تبي|يريد شقة|ढूंढ|ढूँढ|चाहिए|\bdhoondh?\b|\bdhund\b|\bchahiye\b/i;

function cardsOf(m: InboundMessage): SharedCard[] {
  return (m.sharedContacts ?? []).map((c) => ({ name: c.name ?? null, phones: c.phones, waIds: c.waIds, emails: c.emails }));
}

/** What the messages ask for, at most one of each kind; a viewing covers a call proposed in the same words. */
export function detectLeadActions(messages: readonly InboundMessage[], ctx: IntentContext): LeadAction[] {
  const actions: LeadAction[] = [];
  if (messages.length === 0) return actions;
  const texts = messages.filter((m) => m.kind !== 'contacts' && m.kind !== 'reaction' && m.kind !== 'unsupported' && m.kind !== 'referral' && m.kind !== 'system');
  const words = texts.map((m) => m.text).join('\n');

  if (messages.some((m) => m.kind === 'referral')) actions.push({ kind: 'referred' });
  const system = messages.find((m) => m.kind === 'system');
  if (system) actions.push({ kind: 'lookup', note: system.text });

  const tappedViewing = messages.some((m) => m.selection && (VIEWING_PAYLOAD_RE.test(m.selection.id) || VIEWING_PAYLOAD_RE.test(m.selection.title)));
  // A time without the word "viewing" counts when it answers our own viewing button or the words.
  const time = words ? parseProposedTime(words, ctx.nowMs, ctx.timeZone) : null;
  if (tappedViewing || VIEWING_WORDS_RE.test(words)) {
    actions.push({ kind: 'viewing', time });
  } else if (time && CALL_WORDS_RE.test(words)) {
    actions.push({ kind: 'callback', time });
  }

  const cards = messages.flatMap(cardsOf);
  if (cards.length > 0) actions.push({ kind: 'referral', cards, seeker: SEEKER_RE.test(words) });

  const answerable = messages.filter((m) => !(m.kind === 'reaction' && !m.reaction?.emoji));
  if (answerable.length === 0) actions.push({ kind: 'silent' });
  else if (answerable.every((m) => m.kind === 'unsupported')) actions.push({ kind: 'unsupported' });
  return actions;
}

/** A task title for an action: what the broker must do, in English (the brokers' language). */
export function taskTitleFor(action: LeadAction): string | null {
  switch (action.kind) {
    case 'viewing':
      return action.time ? `Viewing requested for ${action.time.label}: confirm with the lead` : 'Viewing requested: agree a time with the lead';
    case 'callback':
      return `Call the lead ${action.time.after ? 'after' : 'at'} ${action.time.label}`;
    case 'referral': {
      const who = action.cards.map((c) => [c.name ?? 'unnamed', ...c.phones, ...c.emails].join(' ')).join('; ');
      return action.seeker ? `Referred lead opened: ${who}` : `Referral shared by the lead: ${who}`;
    }
    case 'referred':
      return 'Call this referred lead: they were introduced by another lead';
    case 'lookup':
      return `Look this lead up and contact them: ${action.note.replace(/^\[|\]$/g, '')}`;
    default:
      return null;
  }
}
