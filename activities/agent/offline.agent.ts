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
} from '../../domain/agent.types';
import { normalizeBudget } from '../../domain/budget.parser';
import { contactValidity } from '../../domain/contact.validator';
import { geoMatch } from '../../domain/geo.matcher';
import { scoreLead } from '../../domain/lead.scorer';
import { extractProfileDetailed, questionFields, type Field } from '../../domain/profile.extractor';
import { emptyProfile, type LeadProfile, type Market, type Qualification, type Unit } from '../../domain/profile.schema';

// The default agent: deterministic, no network, no key. It reads the whole conversation with
// the same domain code the evals measure, searches stock through the tools it is given, scores
// the lead and writes the next message the way a good human agent would on WhatsApp.

type Ask = 'persona' | 'area' | 'propertyType' | 'beds' | 'budget' | 'timeline' | 'finance';

const STOP_RE = /^\s*(?:please\s)?(?:stop|unsubscribe|opt[ -]?out|stop all|stop messages|stop messaging me|cancel|end|quit|remove me|توقف|وقف|إلغاء الاشتراك|الغاء الاشتراك|الغاء|إلغاء|ايقاف|إيقاف|الغاء الاشتراك من فضلك)\s*(?:please|pls|now|thanks|thank you)?\s*[.!]*\s*$/iu;
const STOP_PHRASE_RE = /(?:^|[^\p{L}])(?:unsubscribe|opt me out|opt[ -]out|stop (?:messaging|texting|contacting|sending|writing to) me|don'?t (?:message|text|contact|whatsapp) me(?: again| anymore)?|remove me from (?:your|the) list|no more messages|أوقف الرسائل|اوقف الرسائل|لا ترسل|توقف عن)(?![\p{L}])/iu;
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
  const beds = u.beds === 0 ? 'Studio' : `${u.beds}-bed`;
  const period = u.listing === 'rent' ? (u.rentPeriod === 'month' ? '/month' : '/year') : '';
  const feature = u.features.find((f) => !/furnished/i.test(f));
  return `${i + 1}. *${beds} ${u.propertyType} in ${u.area}* · ${money(u.price, u.currency)}${period}${u.areaM2 ? ` · ${Math.round(u.areaM2)} m²` : ''}${feature ? ` · ${feature}` : ''}`;
}

/** A stable pseudo-random pick, so replies vary between leads and turns yet replay identically. */
function pick<T>(options: readonly T[], seed: string): T {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return options[Math.abs(h) % options.length]!;
}

function summary(p: LeadProfile): string {
  const bits: string[] = [];
  const beds = p.bedsMin === 0 && p.bedsMax === 0 ? 'studio'
    : p.bedsMin !== null && p.bedsMax !== null && p.bedsMin !== p.bedsMax ? `${p.bedsMin}-${p.bedsMax} bed`
      : p.bedsMin !== null && p.bedsMax === null ? `${p.bedsMin}+ bed`
        : p.bedsMin !== null ? `${p.bedsMin}-bed` : '';
  const type = p.propertyType && !(beds === 'studio' && p.propertyType === 'apartment') ? p.propertyType : '';
  const what = [beds, type].filter(Boolean).join(' ');
  const where = p.areas.length ? `in ${p.areas.length > 2 ? `${p.areas.slice(0, -1).join(', ')} or ${p.areas[p.areas.length - 1]}` : p.areas.join(' or ')}`
    : p.city ? `in ${p.city}` : '';
  const head = [what ? `a ${what}` : p.persona === 'tenant' ? 'a place to rent' : p.persona ? 'a place to buy' : '', where].filter(Boolean).join(' ');
  if (head) bits.push(head);
  if (p.currency && (p.budgetMax !== null || p.budgetMin !== null)) {
    const per = p.budgetPeriod === 'year' ? ' a year' : p.budgetPeriod === 'month' ? ' a month' : '';
    if (p.budgetMin !== null && p.budgetMax !== null) bits.push(`${money(p.budgetMin, p.currency)}-${money(p.budgetMax, p.currency)}${per}`);
    else if (p.budgetMax !== null) bits.push(`up to ${money(p.budgetMax, p.currency)}${per}`);
    else bits.push(`from ${money(p.budgetMin!, p.currency)}${per}`);
  }
  return bits.join(', ');
}

const QUESTIONS: Readonly<Record<Ask, readonly string[]>> = {
  persona: [
    'Are you looking to buy, rent, or invest?',
    'Is this to buy, to rent, or an investment?',
    'Just so I point you the right way: are you buying, renting, or investing?',
  ],
  area: [
    'Which area do you have in mind?',
    'Any particular area or community you like?',
    'Where would you ideally like to be? Happy to suggest areas too.',
  ],
  propertyType: [
    'What type of property works for you (apartment, villa, townhouse) and how many bedrooms?',
    'Are you thinking apartment, villa or townhouse, and how many bedrooms do you need?',
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
    'What kind of timeline are you on: when would you like to move?',
    'When are you planning to make the move?',
  ],
  finance: [
    'Will you be paying cash or using a mortgage, and are you pre-approved?',
    'How are you planning to fund it: cash, or a mortgage (pre-approved yet)?',
  ],
};

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
      const name = firstName(input.contact?.name);
      const seed = `${input.leadId}:${messages.length}`;
      const contactOk = contactValidity(input.contact, market).valid;

      const details = extractProfileDetailed(messages, market, input.now, input.formAnswers);
      const profile: LeadProfile = { ...details.profile, contactValid: contactOk };

      const finish = (reply: string, intents: AgentIntent[], matches: UnitMatch[], qualification: Qualification, askedFor: string | null): AgentTurnResult => (
        { reply, profile, qualification, matches, intents, toolCalls, askedFor, agent: 'offline' }
      );

      // Opt-out is honoured before anything else, with a one-line confirmation.
      if (STOP_RE.test(last) || STOP_PHRASE_RE.test(last)) {
        const reply = arabic
          ? 'تم إلغاء اشتراكك، ولن نرسل لك رسائل أخرى. شكراً لك.'
          : "Done, you're unsubscribed and won't hear from us again. Take care!";
        return finish(reply, [{ kind: 'opt_out' }], [], scoreLead(profile, [], null, market), null);
      }

      if (NOT_INTERESTED_RE.test(last) || ARABIC_NOT_INTERESTED_RE.test(last)) {
        const reply = arabic
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
        };
        matches = await call('inventory_search', () => tools.inventorySearch(query), []);
      }
      const qualification = await call('lead_score', () => scoreLead(profile, matches, input.contact, market), scoreLead(profile, [], null, market));

      const wantsHuman = HUMAN_RE.test(last) || ARABIC_HUMAN_RE.test(last);
      if (wantsHuman) {
        const reply = arabic
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

      // First contact with nothing to go on: greet by name and ask the first question.
      if (agentMsgs.length === 0 && nothingYet) {
        const hello = pick([
          `Hi${name ? ` ${name}` : ''}! 👋 Thanks for getting in touch.`,
          `Hello${name ? ` ${name}` : ''}, great to hear from you!`,
          `Hi${name ? ` ${name}` : ''}, thanks for reaching out. 😊`,
        ], seed);
        const ask = nextAsk(profile, askedCounts, details.unsure) ?? 'persona';
        return finish(`${hello} ${pick(QUESTIONS[ask], seed)}`, [], matches, qualification, ask);
      }

      // acknowledge only what the newest message changed, so the chat never reads like a form
      const before = leadMsgs.length > 1 || agentMsgs.length > 0
        ? extractProfileDetailed(messages.slice(0, messages.lastIndexOf(leadMsgs[leadMsgs.length - 1]!)), market, input.now, input.formAnswers).profile
        : null;
      const changed = before === null || summary(before) !== known;
      const parts: string[] = [];
      if (known && changed) {
        const opener = agentMsgs.length === 0 && name ? pick([`Hi ${name}! `, `Thanks ${name}! `, `Hello ${name}, `], seed) : pick(['Great, ', 'Perfect, ', 'Got it: ', 'Lovely, '], seed);
        parts.push(`${opener}${pick(['so that’s ', 'so you’re after ', 'you’re looking for '], `${seed}:s`)}${known}.`.replace(/, \./, '.'));
      } else if (agentMsgs.length === 0) {
        parts.push(pick([`Hi${name ? ` ${name}` : ''}, thanks for reaching out!`, `Hello${name ? ` ${name}` : ''}, thanks for your message!`], seed));
      } else {
        parts.push(pick(['Thanks!', 'Noted, thank you.', 'Understood.'], seed));
      }

      const strongEnough = canSearch && (profile.propertyType !== null || profile.bedsMin !== null || profile.budgetMax !== null || profile.budgetMin !== null);
      const shownBefore = matches.length > 0 && agentMsgs.some((m) => m.text.includes(matches[0]!.unit.area) && m.text.includes(money(matches[0]!.unit.price, matches[0]!.unit.currency)));
      if (strongEnough && matches.length > 0 && !shownBefore) {
        const good = matches.filter((m) => m.score >= 50).slice(0, 3);
        const close = (good[0]?.score ?? 0) >= 80;
        const intro = close ? pick(['A few that fit nicely:', 'Here are some options you might like:', 'Some good matches right now:'], seed)
          : pick(['Nothing spot on yet, but these are the closest I have:', 'Closest options I have right now:'], seed);
        if (good.length > 0) parts.push(`${intro}\n${good.map((m, i) => unitLine(m.unit, i)).join('\n')}`);
      } else if (strongEnough && matches.length === 0 && profile.areas.length > 0) {
        parts.push(pick(["Nothing listed there right this minute, but new stock comes in often and I'll keep an eye out.", "I don't have a perfect match there today, but our team often hears of units before they're listed."], seed));
      }

      const intents: AgentIntent[] = [];
      let askedFor: string | null = null;
      const offeredBefore = agentMsgs.some((m) => OFFER_RE.test(m.text));
      const missingKey = nextAsk(profile, askedCounts, details.unsure);
      if (qualification.qualified && offeredBefore) {
        // the offer stands; keep filling gaps rather than repeating it
        if (missingKey) {
          askedFor = missingKey;
          parts.push(pick(QUESTIONS[missingKey], seed));
        } else parts.push(pick(['A colleague will be in touch very soon. Anything else I can help with meanwhile?', "You're in good hands: our specialist will call you shortly."], seed));
      } else if (qualification.qualified) {
        intents.push({ kind: 'handoff', reason: 'qualified' });
        if (missingKey && (missingKey === 'timeline' || missingKey === 'finance')) {
          askedFor = missingKey;
          parts.push(`${pick(QUESTIONS[missingKey], seed)} ${pick(["Either way, I'd love to have one of our specialists call you to line up viewings.", 'Meanwhile, shall I have one of our property consultants give you a call?'], seed)}`);
        } else parts.push(pick([
          "You've given me everything I need. I'd love to get one of our specialists to call you to line up viewings. Does that work for you?",
          'This sounds like a great fit. Shall I have one of our property consultants give you a call to arrange viewings?',
          "I'll pass you to one of our senior agents so they can set up viewings for you. Is now a good time for a quick call?",
        ], seed));
      } else {
        const ask = missingKey;
        if (ask) {
          askedFor = ask;
          parts.push(pick(QUESTIONS[ask], seed));
        } else {
          parts.push(pick([
            'Would you like me to have one of our agents call you with more options?',
            'Shall I ask a colleague to send you a few more options and set up viewings?',
          ], seed));
        }
      }
      return finish(parts.join('\n\n'), intents, matches, qualification, askedFor);
    },
  };
}

/** The profile an agent starts from before the lead says anything (used by callers and tests). */
export function blankProfile(): LeadProfile {
  return emptyProfile();
}
