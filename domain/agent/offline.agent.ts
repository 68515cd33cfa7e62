import {
  MAX_TOOL_CALLS,
  type Agent,
  type AgentIntent,
  type AgentTools,
  type AgentTurnInput,
  type AgentTurnResult,
  type InventoryQuery,
  type ToolCallRecord,
  type UnitMatch,
} from '../agent.types';
import { normalizeBudget } from '../budget.parser';
import { contactValidity } from '../contact.validator';
import { geoMatch } from '../geo.matcher';
import { conversationLanguage } from '../language.detector';
import { scoreLead } from '../lead.scorer';
import { pinnedArea, readableLeadText } from '../lead-message.reader';
import { extractProfileDetailed, questionFields, type Field } from '../profile.extractor';
import { type LeadProfile, type Market, type Qualification, type Unit } from '../profile.schema';
import { LOCAL_ACCEPT_RE, LOCAL_DECLINE_RE, LOCAL_HANDOFF_CONFIRMED, LOCAL_HANDOFF_NOTES, LOCAL_HANDOFF_OFFERS, LOCAL_THANKS_RE, replyCopy } from '../reply-copy';
import { isOptOut } from '../opt-out.detector';
import { optOutConfirmation } from '../lead-opt-out.rules';
import { contactDetailsIn } from '../contact-details.extractor';
import { detectLeadActions } from '../lead-intent.detector';
import { CONTACT_ASKS, callbackAck, contactAsk, viewingAck } from '../reply-copy-actions';
import { askedFeatures, whyItFits } from '../unit-features.matcher';

/** The zone a market's leads live in when the lead's own is not known. */
const MARKET_TIME_ZONE: Readonly<Record<Market, string>> = { AE: 'Asia/Dubai', GB: 'Europe/London', US: 'America/New_York', IN: 'Asia/Kolkata' };

// The default agent: deterministic, no network, no key. It reads the whole conversation with
// the same domain code the evals measure, searches stock through the tools it is given, scores
// the lead and writes the next message the way a good human agent would on WhatsApp.

type Ask = 'persona' | 'area' | 'propertyType' | 'beds' | 'budget' | 'timeline' | 'finance';

const NOT_INTERESTED_RE = /(?:^|[^a-z])(?:not interested(?! in (?!it|this|anything|buying|renting))|no longer interested|not looking any ?more|no longer looking|already (?:bought|found|rented|signed)|found (?:a place|a flat|an apartment|something|one) already|changed my mind,? (?:i'?m )?not|please don'?t bother|no thanks,? (?:i'?m|we'?re) (?:good|fine|ok))(?![a-z])/i;
const ARABIC_NOT_INTERESTED_RE = /غير مهتم|مش مهتم|لست مهتم/;
const HUMAN_RE = /(?:^|[^a-z])(?:(?:talk|speak|chat) (?:to|with) (?:a |an |your |some )?(?:real )?(?:person|human|agent|someone|broker|representative|consultant|manager|advisor|adviser|people)|real (?:person|human)|(?:agent|human|person|broker) please|(?:a|an) (?:human|real agent|live agent)|human|live agent|call me|can (?:someone|somebody|you) call|give me a call|representative|connect me (?:to|with))(?![a-z])/i;
const ARABIC_HUMAN_RE = /(?:أريد|اريد|ابغى|أبغى|بدي).{0,12}(?:موظف|شخص|وكيل|انسان|إنسان)|كلمني|اتصل بي/;
const ARABIC_RE = /[\u0600-\u06ff]/;
const OFFER_RE = /specialists? (?:to )?call|property consultants? give you a call|senior agents? so they can|one of our specialists/i;

const CUR_SYMBOL: Readonly<Record<string, string>> = { GBP: '£', USD: '$', EUR: '€', INR: '₹' };

function firstName(name: string | null | undefined): string | null {
  if (!name) return null;
  const f = name.trim().split(/\s+/)[0] ?? '';
  if (!f || /^(test|lead|unknown|customer|user|n\/a)$/i.test(f) || f.length > 30) return null;
  return f.charAt(0).toUpperCase() + f.slice(1);
}

function money(amount: number, currency: string): string {
  let s: string;
  if (currency === 'INR' && amount >= 1e7) s = `${+(amount / 1e7).toFixed(2)} Cr`;
  else if (currency === 'INR' && amount >= 1e5) s = `${+(amount / 1e5).toFixed(1)} L`;
  else if (amount >= 1e6) s = `${+(amount / 1e6).toFixed(2)}M`;
  else if (amount >= 1e4) s = `${Math.round(amount / 1e3)}k`;
  else s = amount.toLocaleString('en-US');
  const sym = CUR_SYMBOL[currency];
  return sym ? `${sym}${s}` : `${currency} ${s}`;
}

function unitLine(u: Unit, i: number): string {
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
function withWhy(line: string, why: readonly string[], english: boolean): string {
  return why.length > 0 ? `${line}\n   ${english ? 'Why' : '✓'}: ${why.join(', ')}` : line;
}

/** A stable pseudo-random pick, so replies vary between leads and turns yet replay identically. */
function pick<T>(options: readonly T[], seed: string): T {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return options[Math.abs(h) % options.length]!;
}

/** Upper-cases the start of every sentence, so joined fragments never read "Thanks Omar! you're". */
export function sentenceCase(text: string): string {
  return text.replace(/(^|[.!?]\s+|\n\s*)(\p{Ll})/gu, (_m, pre: string, ch: string) => `${pre}${ch.toUpperCase()}`);
}

function list(items: readonly string[]): string {
  return items.length > 2 ? `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}` : items.join(' or ');
}

/** What the lead is after, as a phrase: "a 2-bed apartment to rent in Dubai Marina, up to AED 120k a year". */
function summary(p: LeadProfile): string {
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

const TIMELINE_ACK: Readonly<Record<string, readonly string[]>> = {
  '0-3m': ['Moving soon, noted.', 'Great, so fairly soon.', 'Noted, in the next couple of months.'],
  '3-6m': ['Noted, in the next few months.', 'Great, that gives us a bit of time to find the right one.'],
  '6-12m': ['Noted, sometime in the next year.', 'Good to know, so no rush.'],
  '12m+': ['Noted, a longer-term plan.', 'Good to know, so plenty of time to look around.'],
};
const FINANCE_ACK: Readonly<Record<string, readonly string[]>> = {
  cash: ['Cash, perfect.', 'A cash purchase, great, that keeps things simple.'],
  preapproved: ['Great that you are pre-approved, that helps a lot.', 'Pre-approved, perfect.'],
  mortgage: ['No problem, we work with mortgage advisers who can help with that.', 'Noted, a mortgage. Happy to put you in touch with an adviser too.'],
};

const QUESTIONS: Readonly<Record<Ask, readonly string[]>> = {
  persona: [
    'Are you looking to buy, rent, or invest?',
    'Is this to buy, to rent, or an investment?',
    'Just so I point you the right way: are you buying, renting or investing?',
  ],
  area: [
    'Which area do you have in mind?',
    'Any particular area or community you like?',
    'Where would you ideally like to be? Happy to suggest areas too.',
  ],
  propertyType: [
    'What type of property works for you (apartment, villa, townhouse) and how many bedrooms?',
    'Are you thinking apartment, villa or townhouse, and with how many bedrooms?',
  ],
  beds: [
    'How many bedrooms do you need?',
    'How many bedrooms would suit you?',
  ],
  budget: [
    'What budget do you have in mind?',
    'Roughly what budget are you working with?',
    'What price range should I look in?',
  ],
  timeline: [
    'When are you hoping to move?',
    'What timeline are you working to?',
    'When would you ideally like to move?',
  ],
  finance: [
    'Will you be paying cash or using a mortgage?',
    'How are you planning to fund it: cash or a mortgage?',
  ],
};

const HANDOFF_OFFERS: readonly string[] = [
  "I'd love to have one of our property consultants call you to set up viewings. Does that work for you?",
  'Shall I have one of our property consultants give you a call to arrange viewings?',
  'Would you like one of our specialists to call you and line up viewings?',
];
const HANDOFF_NOTES: readonly string[] = [
  "I'm also asking one of our property consultants to reach out to you about viewings.",
  "I'll have one of our specialists get in touch too, so you can see these in person.",
];
const HANDOFF_CONFIRMED: readonly string[] = [
  'Perfect! One of our property consultants will call you shortly. Is there a time that suits you best?',
  "Great, I've passed your details to a property consultant, who will call you soon. When is a good time to reach you?",
  "Wonderful. A colleague will be in touch shortly to arrange viewings. Any time of day that works best for a call?",
];
const AFTER_HANDOFF: readonly string[] = [
  'Our consultant will be in touch very soon. Anything else I can help with meanwhile?',
  "You're in good hands, and our consultant will call you shortly.",
  'If anything else comes to mind, just message me here.',
];
const CALL_TIME_ACK: readonly string[] = [
  "Noted, I'll let them know. Speak soon!",
  "Perfect, I'll pass that on so they call at a good time.",
];

const ACCEPT_RE = /^\s*(?:yes|yeah|yep|yup|ya|sure|ok(?:ay)?|k|please|pls|sounds good|perfect|great|go ahead|that works|works for me|fine|of course|absolutely|definitely|call me|👍|👌|🙏|✅|❤️|ok sure|yes please)(?![a-z])/i;
const DECLINE_RE = /^\s*(?:no|nope|nah|not now|not yet|later|maybe later|no thanks|not at the moment|i'?m good)(?![a-z])/i;
const THANKS_RE = /^\s*(?:thanks|thank you|thx|ty|tysm|shukran|cheers|much appreciated)(?![a-z])[\s!.🙏😊👍]*$/i;
const POSITIVE_EMOJI_RE = /👍|👌|🙏|✅|❤|😊|🙂|😀|😍|🔥|💯/u;

type NonText = { kind: 'photo' | 'voice' | 'location' | 'reaction' | 'sticker' | 'contact' | 'document'; detail: string };

/** The non-text message a marker stands for, or null for ordinary text. */
function nonText(text: string): NonText | null {
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

function nextAsk(p: LeadProfile, askedCounts: Map<Field, number>, unsure: Field[]): Ask | null {
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

function listingOf(p: LeadProfile, fallback: 'sale' | 'rent' | null): 'sale' | 'rent' | null {
  if (p.persona === 'tenant') return 'rent';
  if (p.persona === 'buyer' || p.persona === 'investor') return 'sale';
  return fallback;
}

export function createOfflineAgent(): Agent {
  return {
    name: 'offline',
    async turn(input: AgentTurnInput, tools: AgentTools): Promise<AgentTurnResult> {
      const toolCalls: ToolCallRecord[] = [];
      const call = async <T>(name: string, fn: () => T | Promise<T>, fallback: T): Promise<T> => {
        if (toolCalls.length >= MAX_TOOL_CALLS) return fallback;
        const t0 = performance.now();
        try {
          const v = await fn();
          toolCalls.push({ name, ok: true, ms: Math.round((performance.now() - t0) * 100) / 100 });
          return v;
        } catch {
          toolCalls.push({ name, ok: false, ms: Math.round((performance.now() - t0) * 100) / 100 });
          return fallback;
        }
      };
      const market: Market = input.market;
      const messages = Array.isArray(input.messages) ? input.messages : [];
      const leadMsgs = messages.filter((m) => m.from === 'lead');
      const agentMsgs = messages.filter((m) => m.from !== 'lead');
      const last = leadMsgs[leadMsgs.length - 1]?.text ?? '';
      const arabic = ARABIC_RE.test(last);
      // replies follow the lead's language (domain/reply-copy.ts); English copy stays below
      const language = conversationLanguage(messages);
      const L = replyCopy(language);
      const name = firstName(input.contact?.name);
      const seed = `${input.leadId}:${messages.length}`;
      const contactOk = contactValidity(input.contact, market).valid;

      const details = extractProfileDetailed(messages, market, input.now, input.formAnswers);
      const profile: LeadProfile = { ...details.profile, contactValid: contactOk };
      // The home's features the lead asked for, in their words: recalled memories (which outlive a
      // continue-as-new and a long transcript) first, then the conversation.
      const recalled = (Array.isArray(input.memories) ? input.memories : []).filter((m) => m && m.kind === 'preference' && typeof m.text === 'string').map((m) => m.text);
      const asked = askedFeatures([...recalled, ...leadMsgs.map((m) => m.text)]);

      // A web chat lead has no number we know: before a person takes over, ask how to reach them
      // (once). Details typed in the chat count (contact-details.extractor.ts).
      const claimed = contactDetailsIn(messages, market);
      const reachable = contactOk || claimed.phone !== null || claimed.email !== null;
      const askedContact = agentMsgs.some((m) => CONTACT_ASKS.some((a) => m.text.includes(a)));
      const finish = (reply: string, intents: AgentIntent[], matches: UnitMatch[], qualification: Qualification, askedFor: string | null): AgentTurnResult => {
        const closing = intents.some((i) => i.kind === 'opt_out' || i.kind === 'not_interested');
        if (input.channel === 'web' && !reachable && !askedContact && !closing && (intents.some((i) => i.kind === 'handoff') || qualification.qualified)) {
          const held: AgentIntent[] = [...intents.filter((i) => i.kind !== 'handoff'), { kind: 'await_contact' }];
          return { reply: `${reply}\n\n${contactAsk(language)}`.trim(), profile, qualification, matches, intents: held, toolCalls, askedFor: 'contact', agent: 'offline', language };
        }
        return { reply, profile, qualification, matches, intents, toolCalls, askedFor, agent: 'offline', language };
      };

      // Opt-out is honoured before anything else, with a one-line confirmation.
      if (isOptOut(last)) {
        return finish(optOutConfirmation(last), [{ kind: 'opt_out' }], [], scoreLead(profile, [], null, market), null);
      }

      if (NOT_INTERESTED_RE.test(last) || ARABIC_NOT_INTERESTED_RE.test(last)) {
        const reply = L ? pick(L.notInterested(name), seed) : arabic
          ? 'لا مشكلة أبداً، شكراً لوقتك. إذا احتجت أي شيء لاحقاً نحن هنا.'
          : pick([
            `No problem at all${name ? `, ${name}` : ''}. Thanks for letting me know, and if anything changes I'm just a message away.`,
            `Totally understood${name ? `, ${name}` : ''}. I'll leave it there; feel free to reach out any time.`,
          ], seed);
        return finish(reply, [{ kind: 'not_interested' }], [], scoreLead(profile, [], null, market), null);
      }

      // The tools: the two parsers on the newest message, the stock search, the score.
      const lastBudget = await call('normalize_budget', () => normalizeBudget(last, market), null);
      const lastGeo = await call('geo_match', () => geoMatch(last, market, profile.city), null);
      void lastBudget;
      void lastGeo;
      const listing = listingOf(profile, details.listing);
      let matches: UnitMatch[] = [];
      const canSearch = profile.city !== null || profile.areas.length > 0;
      if (canSearch) {
        const query: InventoryQuery = {
          listing,
          city: profile.city,
          areas: profile.areas,
          propertyType: profile.propertyType,
          bedsMin: profile.bedsMin,
          bedsMax: profile.bedsMax,
          budgetMin: profile.budgetMin,
          budgetMax: profile.budgetMax,
          currency: profile.currency,
          limit: 5,
          ...(asked.text && { text: asked.text }),
        };
        matches = await call('inventory_search', () => tools.inventorySearch(query), []);
      }
      const qualification = await call('lead_score', () => scoreLead(profile, matches, input.contact, market), scoreLead(profile, [], null, market));

      // The answer to our contact question: the held handoff goes ahead (with or without the details).
      const lastAgentText = agentMsgs[agentMsgs.length - 1]?.text ?? '';
      if (input.channel === 'web' && CONTACT_ASKS.some((a) => lastAgentText.includes(a))) {
        const thanks = reachable ? pick(L?.handoffConfirmed ?? HANDOFF_CONFIRMED, seed) : pick(L?.afterHandoff ?? AFTER_HANDOFF, seed);
        return finish(sentenceCase(thanks), [{ kind: 'handoff', reason: qualification.qualified ? 'qualified' : 'asked_for_human', deferred: true }], matches, qualification, null);
      }

      // A viewing or a call at a time: the workflow makes the broker's task and the handoff; the reply confirms it.
      const action = detectLeadActions([{ providerId: 'last', channel: input.channel, kind: 'text', text: last, receivedAt: input.now }], {
        nowMs: Date.parse(input.now),
        timeZone: input.timeZone ?? MARKET_TIME_ZONE[market],
      }).find((a) => a.kind === 'viewing' || a.kind === 'callback');
      if (action?.kind === 'viewing' || action?.kind === 'callback') {
        const when = action.time ? `${action.time.after ? (language === 'en' ? 'after ' : '') : ''}${action.time.label.replace(/ \([^)]*\)$/, '')}` : null;
        const text = action.kind === 'viewing' ? viewingAck(language, when) : callbackAck(language, when!);
        return finish(text, [], matches, qualification, null);
      }

      const wantsHuman = HUMAN_RE.test(last) || ARABIC_HUMAN_RE.test(last);
      if (wantsHuman) {
        const reply = L ? pick(L.human(name), seed) : arabic
          ? 'بالتأكيد، سأوصلك بأحد مستشارينا الآن وسيتواصل معك قريباً.'
          : pick([
            `Of course${name ? `, ${name}` : ''}! I'm connecting you with one of our property consultants now; they'll be in touch shortly.`,
            `Sure thing. I've asked a colleague to pick this up personally; expect a message or call from them very soon.`,
          ], seed);
        return finish(reply, [{ kind: 'handoff', reason: 'asked_for_human' }], matches, qualification, null);
      }

      const askedCounts = new Map<Field, number>();
      for (const m of agentMsgs) for (const f of questionFields(m.text)) askedCounts.set(f, (askedCounts.get(f) ?? 0) + 1);
      const known = summary(profile);
      const nothingYet = !known && profile.persona === null && profile.timeline === null && profile.finance === null;
      const reply = (text: string, intents: AgentIntent[], askedFor: string | null): AgentTurnResult =>
        finish(sentenceCase(text), intents, matches, qualification, askedFor);
      const missingKey = nextAsk(profile, askedCounts, details.unsure);
      const question = (ask: Ask): string => pick((L?.questions ?? QUESTIONS)[ask], `${seed}:q:${ask}`);
      const lastAgent = agentMsgs[agentMsgs.length - 1]?.text ?? '';
      // only a reply that ends with our call offer is waiting for a yes; "I'll have a specialist call, when
      // are you moving?" is waiting for the timing
      const offerPending = [...HANDOFF_OFFERS, ...LOCAL_HANDOFF_OFFERS].some((o) => lastAgent.includes(o)) || (OFFER_RE.test(lastAgent) && questionFields(lastAgent).length === 0 && /\?\s*$/.test(lastAgent));
      const callTimeAsked = [...HANDOFF_CONFIRMED, ...LOCAL_HANDOFF_CONFIRMED].some((c) => lastAgent.includes(c));
      const handedOff = agentMsgs.some((m) => [...HANDOFF_CONFIRMED, ...LOCAL_HANDOFF_CONFIRMED, ...HANDOFF_NOTES, ...LOCAL_HANDOFF_NOTES].some((c) => m.text.includes(c)));
      const offeredBefore = agentMsgs.some((m) => OFFER_RE.test(m.text) || [...HANDOFF_OFFERS, ...LOCAL_HANDOFF_OFFERS].some((o) => m.text.includes(o)));
      const special = nonText(last);
      const hi = L ? pick(L.hi(name), `${seed}:hi`) : name ? pick([`Hi ${name}!`, `Hello ${name}!`, `Hi ${name}, thanks for getting in touch!`], `${seed}:hi`) : pick(['Hi there!', 'Hello!', 'Hi, thanks for getting in touch!'], `${seed}:hi`);

      // The lead accepts (or turns down) the call we offered: answer that, nothing else.
      const accepted = offerPending && (ACCEPT_RE.test(last) || LOCAL_ACCEPT_RE.test(last) || (special?.kind === 'reaction' && POSITIVE_EMOJI_RE.test(special.detail)));
      if (accepted) return reply(pick(L?.handoffConfirmed ?? HANDOFF_CONFIRMED, seed), [{ kind: 'handoff', reason: 'qualified' }], null);
      if (offerPending && (DECLINE_RE.test(last) || LOCAL_DECLINE_RE.test(last))) {
        const rest = missingKey ? ` ${question(missingKey)}` : L?.keepLooking ?? ' I will keep an eye out and send you anything new that fits.';
        return reply(`${pick(L?.declined ?? ['No problem at all, we can carry on here.', "Of course, no pressure. Let's keep going here."], seed)}${rest}`, [], missingKey);
      }

      // acknowledge only what the newest message changed, so the chat never reads like a form
      const lastLead = leadMsgs[leadMsgs.length - 1];
      const before = lastLead && (leadMsgs.length > 1 || agentMsgs.length > 0)
        ? extractProfileDetailed(messages.slice(0, messages.lastIndexOf(lastLead)), market, input.now, input.formAnswers).profile
        : null;
      const changed = before === null || summary(before) !== known;
      const newFacts = changed || (before !== null && (before.timeline !== profile.timeline || before.finance !== profile.finance));

      if (callTimeAsked && !special && !newFacts) {
        const meanwhile = missingKey ? ` ${L ? L.meanwhile(question(missingKey)) : `Meanwhile, one quick thing: ${question(missingKey).charAt(0).toLowerCase()}${question(missingKey).slice(1)}`}` : '';
        return reply(`${pick(L?.callTimeAck ?? CALL_TIME_ACK, seed)}${meanwhile}`, [], missingKey);
      }

      // Photos, voice notes, pins and reactions get a human answer, then the conversation moves on.
      // a pin inside a known area is the lead naming it (even one we had), otherwise we ask its name
      const pin = special?.kind === 'location' ? pinnedArea(last) : null;
      // a pin's address and name are not the lead's words (they carry no facts): a first message
      // that is only a pin far from every known area is still asked for the area by name
      const pinFacts = special?.kind === 'location' && (pin !== null || (newFacts && before !== null));
      if (special && (!readableLeadText(last).trim() || special.kind === 'reaction' || !newFacts) && !pinFacts) {
        const next = missingKey ? question(missingKey) : null;
        const greet = agentMsgs.length === 0 ? `${hi} ` : '';
        let text: string;
        let ask: Ask | null = missingKey;
        if (L) {
          const kind = special.kind === 'reaction' || special.kind === 'sticker' ? 'reaction' : special.kind;
          if (kind === 'voice') ask = null;
          if (kind === 'location') ask = 'area';
          text = /removed/.test(last) ? next ?? '' : `${greet}${pick(L.special(kind, next, handedOff), seed)}`;
          return reply(text, [], ask);
        }
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
        return reply(text, [], ask);
      }

      // First contact with nothing to go on: greet by name and ask the first question.
      if (agentMsgs.length === 0 && nothingYet) {
        const ask = missingKey ?? 'persona';
        return reply(`${hi} ${pick(['👋 ', '😊 ', ''], `${seed}:e`)}${question(ask)}`.replace(/[^\S\n]+/g, ' '), [], ask);
      }

      const parts: string[] = [];
      const ackLead = agentMsgs.length === 0 && L ? `${pick(L.ackLead(name), `${seed}:o`)} ` : agentMsgs.length === 0 ? `${name ? pick([`Thanks, ${name}!`, `Hi ${name}!`, `Hello ${name}!`], `${seed}:o`) : pick(['Thanks for getting in touch!', 'Hi there!'], `${seed}:o`)} ` : '';
      if (pin || (known && changed && special?.kind === 'location' && profile.areas.length > 0)) {
        const pinned = pin ? [pin.area] : profile.areas;
        parts.push(`${ackLead}${L ? L.pinAck(pinned) : `Thanks for the pin, that's ${list(pinned)}.`}`);
      } else if (known && changed && before && !before.persona && profile.persona && summary({ ...before, persona: profile.persona }) === known) {
        parts.push(L ? pick(L.personaAck[profile.persona], seed) : profile.persona === 'tenant' ? pick(['Great, renting it is.', 'Renting, got it.'], seed)
          : profile.persona === 'investor' ? pick(['An investment, great.', 'Investing, lovely.'], seed)
            : pick(['Great, buying it is.', 'Buying, lovely.'], seed));
      } else if (known && changed) {
        const lines = L ? L.summaryLines(L.summary(profile), agentMsgs.length === 0) : agentMsgs.length === 0
          ? [`So you're looking for ${known}.`, `You're after ${known}, noted.`, `I've noted ${known}.`]
          : [`Great, so that's ${known}.`, `Perfect, ${known}.`, `Got it: ${known}.`, `Lovely, I've noted ${known}.`];
        parts.push(`${ackLead}${pick(lines, `${seed}:s`)}`);
      } else if (before && profile.timeline !== before.timeline && profile.timeline) {
        parts.push(pick((L?.timelineAck ?? TIMELINE_ACK)[profile.timeline] ?? ['Noted.'], seed));
      } else if (before && profile.finance !== before.finance && profile.finance) {
        parts.push(pick((L?.financeAck ?? FINANCE_ACK)[profile.finance] ?? ['Noted.'], seed));
      } else if (agentMsgs.length === 0) {
        parts.push(`${hi}`);
      } else if (THANKS_RE.test(last) || LOCAL_THANKS_RE.test(last)) {
        parts.push(pick(L?.thanksReply ?? ['My pleasure!', "You're welcome!", 'Anytime!'], seed));
      } else {
        parts.push(pick(L?.genericAck ?? ['Thanks!', 'Noted, thank you.', 'Got it.', 'Thanks for that.'], seed));
      }

      const strongEnough = canSearch && (profile.propertyType !== null || profile.bedsMin !== null || profile.budgetMax !== null || profile.budgetMin !== null || asked.concepts.length > 0);
      const shownBefore = matches.length > 0 && agentMsgs.some((m) => (m.text.includes(matches[0]!.unit.area) && m.text.includes(money(matches[0]!.unit.price, matches[0]!.unit.currency))) || (L !== null && m.text.includes(L.unitLine(matches[0]!.unit, 0).slice(3))));
      if (strongEnough && matches.length > 0 && !shownBefore) {
        const good = matches.filter((m) => m.score >= 50).slice(0, 3);
        const close = (good[0]?.score ?? 0) >= 80;
        const intro = L ? pick(L.matchesIntro(close), `${seed}:m`) : close ? pick(['Here are a few that fit nicely:', 'Here are some options you might like:', 'Some good matches right now:'], `${seed}:m`)
          : pick(['Nothing spot on yet, but these are the closest I have:', 'These are the closest options I have right now:'], `${seed}:m`);
        const line = (m: UnitMatch, i: number) => withWhy(L ? L.unitLine(m.unit, i) : unitLine(m.unit, i), whyItFits(m.unit, asked.concepts), L === null);
        if (good.length > 0) parts.push(`${intro}\n${good.map(line).join('\n')}`);
      } else if (strongEnough && matches.length === 0 && profile.areas.length > 0 && changed) {
        parts.push(pick(L?.noMatch ?? ["Nothing listed there right this minute, but new stock comes in often and I'll keep an eye out.", "I don't have a perfect match there today, but our team often hears of units before they're listed."], `${seed}:m`));
      }

      const intents: AgentIntent[] = [];
      let askedFor: string | null = null;
      if (qualification.qualified && (offeredBefore || handedOff)) {
        // the offer stands; keep filling gaps rather than repeating it
        if (missingKey) {
          askedFor = missingKey;
          parts.push(question(missingKey));
        } else parts.push(pick(L?.afterHandoff ?? AFTER_HANDOFF, seed));
      } else if (qualification.qualified) {
        intents.push({ kind: 'handoff', reason: 'qualified' });
        if (missingKey && (missingKey === 'timeline' || missingKey === 'finance')) {
          askedFor = missingKey;
          parts.push(`${pick(L?.handoffNotes ?? HANDOFF_NOTES, `${seed}:h`)} ${question(missingKey)}`);
        } else parts.push(`${pick(L?.greatFit ?? ['This sounds like a great fit.', 'You have given me everything I need.', 'Sounds like we can help.'], `${seed}:f`)} ${pick(L?.handoffOffers ?? HANDOFF_OFFERS, `${seed}:h`)}`);
      } else if (missingKey) {
        askedFor = missingKey;
        parts.push(question(missingKey));
      } else {
        parts.push(pick(L?.moreOptions ?? [
          'Would you like me to have one of our agents call you with more options?',
          'Shall I ask a colleague to send you a few more options and set up viewings?',
        ], `${seed}:e`));
      }
      return reply(parts.join('\n\n'), intents, askedFor);
    },
  };
}
