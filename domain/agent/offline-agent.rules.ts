import { type Field } from '../profile.extractor';
import { type LeadProfile } from '../profile.schema';
import { type Ask } from './offline-agent.copy';

// What the offline agent reads in a message beyond the profile: refusals, requests for a person,
// yes/no/thanks to an offer, non-text markers, and which question to ask next.

export const NOT_INTERESTED_RE = /(?:^|[^a-z])(?:not interested(?! in (?!it|this|anything|buying|renting))|no longer interested|not looking any ?more|no longer looking|already (?:bought|found|rented|signed)|found (?:a place|a flat|an apartment|something|one) already|changed my mind,? (?:i'?m )?not|please don'?t bother|no thanks,? (?:i'?m|we'?re) (?:good|fine|ok))(?![a-z])/i;
export const ARABIC_NOT_INTERESTED_RE = /غير مهتم|مش مهتم|لست مهتم/;
export const HUMAN_RE = /(?:^|[^a-z])(?:(?:talk|speak|chat) (?:to|with) (?:a |an |your |some )?(?:real )?(?:person|human|agent|someone|broker|representative|consultant|manager|advisor|adviser|people)|real (?:person|human)|(?:agent|human|person|broker) please|(?:a|an) (?:human|real agent|live agent)|human|live agent|call me|can (?:someone|somebody|you) call|give me a call|representative|connect me (?:to|with))(?![a-z])/i;
export const ARABIC_HUMAN_RE = /(?:أريد|اريد|ابغى|أبغى|بدي).{0,12}(?:موظف|شخص|وكيل|انسان|إنسان)|كلمني|اتصل بي/;
export const ARABIC_RE = /[\u0600-\u06ff]/;
export const OFFER_RE = /specialists? (?:to )?call|property consultants? give you a call|senior agents? so they can|one of our specialists/i;

export const ACCEPT_RE = /^\s*(?:yes|yeah|yep|yup|ya|sure|ok(?:ay)?|k|please|pls|sounds good|perfect|great|go ahead|that works|works for me|fine|of course|absolutely|definitely|call me|👍|👌|🙏|✅|❤️|ok sure|yes please)(?![a-z])/i;
export const DECLINE_RE = /^\s*(?:no|nope|nah|not now|not yet|later|maybe later|no thanks|not at the moment|i'?m good)(?![a-z])/i;
export const THANKS_RE = /^\s*(?:thanks|thank you|thx|ty|tysm|shukran|cheers|much appreciated)(?![a-z])[\s!.🙏😊👍]*$/i;
export const POSITIVE_EMOJI_RE = /👍|👌|🙏|✅|❤|😊|🙂|😀|😍|🔥|💯/u;

export type NonText = { kind: 'photo' | 'voice' | 'location' | 'reaction' | 'sticker' | 'contact' | 'document'; detail: string };

/** The non-text message a marker stands for, or null for ordinary text. */
export function nonText(text: string): NonText | null {
  const m = /^\s*\[(photo|image|picture|video|gif|voice (?:note|message)|audio|sticker|animated sticker|document|file|location|shared contact|contact|reacted ([^\]]{0,40}) to a message|removed a reaction)(?::\s?([^\]]*))?\]\s*$/i.exec(text);
  if (m) {
    const k = (m[1] ?? '').toLowerCase();
    const detail = (m[3] ?? m[2] ?? '').trim();
    if (/^(photo|image|picture|video|gif)$/.test(k)) return { kind: 'photo', detail };
    if (/^(voice|audio)/.test(k)) return { kind: 'voice', detail };
    if (k === 'location') return { kind: 'location', detail };
    if (k.startsWith('reacted') || k.startsWith('removed')) return { kind: 'reaction', detail };
    if (k.includes('sticker')) return { kind: 'sticker', detail };
    if (k.includes('contact')) return { kind: 'contact', detail };
    return { kind: 'document', detail };
  }
  // a message of emoji only reads like a reaction
  if (/^[\s\p{Extended_Pictographic}\u200d\ufe0f\u{1F3FB}-\u{1F3FF}]+$/u.test(text) && /\p{Extended_Pictographic}/u.test(text)) return { kind: 'reaction', detail: text.trim() };
  return null;
}

export function nextAsk(p: LeadProfile, askedCounts: Map<Field, number>, unsure: Field[]): Ask | null {
  const tried = (f: Field): boolean => (askedCounts.get(f) ?? 0) >= 2 || ((askedCounts.get(f) ?? 0) >= 1 && unsure.includes(f));
  const order: Array<[Ask, Field, boolean]> = [
    ['persona', 'persona', p.persona === null],
    ['area', 'area', p.areas.length === 0],
    ['propertyType', 'propertyType', p.propertyType === null && !(p.bedsMin === 0 && p.bedsMax === 0)],
    ['beds', 'beds', p.bedsMin === null && p.bedsMax === null && p.propertyType !== null && !['office', 'retail', 'land'].includes(p.propertyType)],
    ['budget', 'budget', p.budgetMin === null && p.budgetMax === null],
    ['timeline', 'timeline', p.timeline === null],
    ['finance', 'finance', p.finance === null && p.persona !== 'tenant'],
  ];
  for (const [ask, field, missing] of order) {
    if (!missing || tried(field)) continue;
    // once the lead named a city, "which area" is still worth one try; a type question covers beds
    if (ask === 'area' && (askedCounts.get('area') ?? 0) >= 1 && p.city) continue;
    if (ask === 'propertyType' && (askedCounts.get('propertyType') ?? 0) >= 1) continue;
    return ask;
  }
  return null;
}
