import type { LeadLanguage } from './language.detector';
import type { LeadProfile, Unit } from './profile.schema';

// The shape of the offline agent's copy in one language (see reply-copy.ts).

export type Ask = 'persona' | 'area' | 'propertyType' | 'beds' | 'budget' | 'timeline' | 'finance';
export type SpecialKind = 'voice' | 'photo' | 'document' | 'location' | 'contact' | 'reaction';

export interface ReplyCopy {
  language: LeadLanguage;
  hi(name: string | null): readonly string[];
  ackLead(name: string | null): readonly string[];
  questions: Readonly<Record<Ask, readonly string[]>>;
  optOut: string;
  notInterested(name: string | null): readonly string[];
  human(name: string | null): readonly string[];
  handoffOffers: readonly string[];
  handoffNotes: readonly string[];
  handoffConfirmed: readonly string[];
  afterHandoff: readonly string[];
  callTimeAck: readonly string[];
  /** "Meanwhile, one quick thing: <question>" */
  meanwhile(question: string): string;
  declined: readonly string[];
  keepLooking: string;
  thanksReply: readonly string[];
  genericAck: readonly string[];
  personaAck: Readonly<Record<'buyer' | 'investor' | 'tenant', readonly string[]>>;
  timelineAck: Readonly<Record<string, readonly string[]>>;
  financeAck: Readonly<Record<string, readonly string[]>>;
  /** What the lead is after, as a phrase in this language; '' when nothing is known. */
  summary(p: LeadProfile): string;
  summaryLines(known: string, firstReply: boolean): readonly string[];
  pinAck(areas: readonly string[]): string;
  matchesIntro(close: boolean): readonly string[];
  noMatch: readonly string[];
  unitLine(u: Unit, i: number): string;
  greatFit: readonly string[];
  moreOptions: readonly string[];
  special(kind: SpecialKind, next: string | null, handedOff: boolean): readonly string[];
}

/** Amounts the way each language writes them: lakh/crore for rupees, millions elsewhere. */
export function localMoney(amount: number, currency: string, words: { million: string; thousand: string; lakh: string; crore: string; currency: Readonly<Record<string, string>> }): string {
  let n: string;
  if (currency === 'INR' && amount >= 1e7) n = `${+(amount / 1e7).toFixed(2)} ${words.crore}`;
  else if (currency === 'INR' && amount >= 1e5) n = `${+(amount / 1e5).toFixed(1)} ${words.lakh}`;
  else if (amount >= 1e6) n = `${+(amount / 1e6).toFixed(2)} ${words.million}`;
  else if (amount >= 1e4) n = `${Math.round(amount / 1e3)}${words.thousand === 'k' ? '' : ' '}${words.thousand}`;
  else n = amount.toLocaleString('en-US');
  const cur = words.currency[currency] ?? currency;
  return cur.startsWith('₹') || cur.startsWith('$') || cur.startsWith('£') || cur.startsWith('€') ? `${cur}${n}` : `${n} ${cur}`;
}
