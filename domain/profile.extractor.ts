import type { ConversationMessage } from './agent.types';
import { normalizeBudget, MARKET_RENT_PERIOD, type Budget } from './budget.parser';
import { readBeds } from './beds.parser';
import { budgetWithKeyUnits, classifyFormKey, formValueText, unknownAnswerKind, type FormKeyKind } from './form-answer.mapper';
import { cityOfArea, geoMatch } from './geo.matcher';
import { pinnedArea, readableLeadText } from './lead-message.reader';
import { toPivotText } from './lead-text.normalizer';
import { financeFromYesNo, readFinance, readPersona, readPropertyType, YES_RE, type Finance, type Persona } from './profile-fields.parser';
import { emptyProfile } from './profile.defaults';
import type { LeadProfile, Market, PropertyType } from './profile.schema';
import { CORRECTION_RE, MAX_PARSE_CHARS } from './text.util';
import { parseTimeline, type Timeline } from './timeline.parser';

// Reads a whole conversation into the normalised LeadProfile of ../shared/evals/SPEC.md.
// Each lead message is read on its own, against the question the agent asked just before it;
// the facts are then merged in order, so later statements override earlier ones.

export type Field = 'persona' | 'city' | 'area' | 'propertyType' | 'beds' | 'budget' | 'timeline' | 'finance';

export interface MessageFacts {
  persona?: { value: Persona; strong: boolean };
  areas: string[];
  excludedAreas: string[];
  cities: string[];
  propertyType?: PropertyType | null;
  /** Implied, not said: "2BR" and "3BHK" are flats unless the lead names another type. */
  impliedType?: PropertyType;
  beds?: { min: number | null; max: number | null };
  budget?: Budget;
  timeline?: Timeline | null;
  finance?: Finance;
  correction: boolean;
}

export interface ExtractionDetails {
  profile: LeadProfile;
  excludedAreas: string[];
  /** Fields the lead has explicitly said they do not know (timeline: "not sure"). */
  unsure: Field[];
  /** Whether the lead wants to buy or rent, when it can be told. */
  listing: 'sale' | 'rent' | null;
}

// ---------------------------------------------------------------- question context

/** Which fields an agent message asks about (its last question), so bare answers can be read. */
export function questionFields(agentText: string | undefined): Field[] {
  if (!agentText) return [];
  // our own Arabic and Hindi questions are read like the English ones
  const t = toPivotText(agentText.slice(0, 2000)).toLowerCase();
  const parts = t.split(/(?<=[?])\s*/);
  const withQ = parts.filter((p) => p.includes('?'));
  const q = withQ.length > 0 ? withQ[withQ.length - 1]! : t;
  const out: Field[] = [];
  if (/buy or rent|rent or buy|buying or renting|renting or buying|invest|to live in|live in it|for yourself|end[- ]user|looking to (?:buy|rent)\b.*\bor\b/.test(q)) out.push('persona');
  if (/which city|what city|which emirate/.test(q)) out.push('city');
  if (/area|where|location|neighbou?rhood|communit|which part|district|locality|prefer.*(?:place|part)/.test(q)) out.push('area');
  if (/type of (?:property|home|place)|property type|type ki property|kind of (?:property|home|place)|apartment or|villa or|flat or|house or|what type|which type/.test(q)) out.push('propertyType');
  if (/bed|bedroom|how many rooms|bhk|how big/.test(q)) out.push('beds');
  if (/budget|price range|how much|spend|afford|price|rent range/.test(q)) out.push('budget');
  if (/when|timeline|how soon|time ?frame|move in|moving|planning to (?:buy|move|rent)|by when/.test(q)) out.push('timeline');
  if (/cash|mortgage|financ|pre-?approv|approval|approved|in principle|\baip\b|lender|loan|payment method|funding|fund the/.test(q)) out.push('finance');
  return out;
}

// ---------------------------------------------------------------- per-field readers: profile-fields.parser, beds.parser

// ---------------------------------------------------------------- form answers

/** A "key: value" line's key: a profile field, free text, or something never parsed (contact, note). */
function formField(key: string): FormKeyKind {
  return classifyFormKey(key);
}

const FORM_LINE_RE = /^\s?([^:\n]{1,48}?)\s?[:：=]\s?(.{1,500})$/;

// ---------------------------------------------------------------- one message

function readMessage(text: string, market: Market, now: string, asked: Field[], question: string | undefined, cityCtx: string | null, isForm = false): MessageFacts {
  const src = text.length > MAX_PARSE_CHARS ? text.slice(0, MAX_PARSE_CHARS) : text;
  const facts: MessageFacts = { areas: [], excludedAreas: [], cities: [], correction: false };
  const lines = src.split(/\r?\n/);
  const free: string[] = [];
  const formParts: Array<[Field, string, string]> = [];
  for (const line of lines) {
    const m = FORM_LINE_RE.exec(line);
    const key = (m?.[1] ?? '').trim();
    const value = (m?.[2] ?? '').trim();
    const found = m ? formField(key) : null;
    // an answer to a question we do not know: the lead's words if it has words, else a note
    const kind = found === 'unknown' ? unknownAnswerKind(value) : found;
    if (!m || kind === null) { free.push(line); continue; }
    if (kind === 'freeText') { free.push(found === 'unknown' && !isForm ? line : value); continue; }
    // contact details, ratings, tracking and consent ("purchase_rating: 2") never feed the profile
    if (kind === 'contact' || kind === 'note') continue;
    formParts.push([kind, kind === 'budget' ? budgetWithKeyUnits(formValueText(value), key) : formValueText(value), key]);
  }
  for (const [field, value, key] of formParts) applyText(facts, value, market, now, [field], field === 'finance' ? key : undefined, cityCtx, true);
  const rest = free.join('\n').trim();
  if (rest) applyText(facts, rest, market, now, asked, question, cityCtx, false);
  return facts;
}

function applyText(facts: MessageFacts, input: string, market: Market, now: string, asked: Field[], question: string | undefined, cityCtx: string | null, form: boolean): void {
  // Arabic, Hindi and Hinglish are read as the English the readers below know (lead-text.normalizer)
  const raw = toPivotText(input);
  const t = raw.toLowerCase().replace(/[\u2010-\u2015\u2212]/g, '-').replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').trim();
  if (!t) return;
  const only = (f: Field): boolean => form && asked.length === 1 && asked[0] === f;
  const fieldOk = (f: Field): boolean => !form || only(f) || asked.length === 0;
  if (CORRECTION_RE.test(t)) facts.correction = true;

  if (fieldOk('persona') || only('persona')) {
    const p = readPersona(t);
    if (p) facts.persona = p;
    else if (asked.includes('persona') && /(?:^|[^a-z])(live|living|family|myself|own|home)(?![a-z])/.test(t)) facts.persona = { value: 'buyer', strong: true };
  }
  const g = geoMatch(raw, market, cityCtx);
  if (g.areas.length || g.excludedAreas.length || g.cities.length) {
    facts.areas.push(...g.areas.filter((a) => !facts.areas.includes(a)));
    facts.excludedAreas.push(...g.excludedAreas);
    facts.cities.push(...g.cities);
  }
  if (fieldOk('propertyType') || only('propertyType')) {
    const type = readPropertyType(t, market);
    if (type !== undefined) facts.propertyType = type;
  }
  if (!form || only('beds') || only('propertyType')) {
    const beds = readBeds(t, asked.includes('beds') && !asked.includes('budget') || only('beds'));
    if (/(?:^|[^a-z])\d{1,2}\s?(?:br|brs|bhk|bdr|bdrm|b\/r|rk)(?![a-z])|(?:one|two|three|four|five) bhk/.test(t)) facts.impliedType = 'apartment';
    if (beds) {
      facts.beds = beds;
      if (beds.min === 0 && beds.max === 0 && facts.propertyType === undefined) facts.propertyType = 'apartment';
    }
  }
  if (!form || only('budget')) {
    const budget = normalizeBudget(raw, market, { expectBudget: asked.includes('budget') && !asked.includes('beds') || only('budget') });
    if (budget) facts.budget = budget;
  }
  if (!form || only('timeline')) {
    const tl = parseTimeline(raw, now, { expectTimeline: asked.includes('timeline') && !asked.includes('beds') && !asked.includes('budget') || only('timeline') });
    // "not sure" answers the question asked: it clears the timeline only when timing was asked
    if (tl !== undefined && (tl.timeline !== null || asked.length === 0 || asked.includes('timeline'))) facts.timeline = tl.timeline;
  }
  if (!form || only('finance')) {
    const fin = readFinance(t) ?? (asked.includes('finance') && question ? financeFromYesNo(t, toPivotText(question)) : undefined);
    if (fin) facts.finance = fin;
    // a form's "Do you have a mortgage in principle?: Yes" answers its own question
    const formYesNo = !fin && form && question ? financeFromYesNo(t, toPivotText(question.replace(/[_-]+/g, ' '))) : undefined;
    if (formYesNo) facts.finance = formYesNo;
    else if (only('finance') && !fin && YES_RE.test(t)) facts.finance = 'mortgage';
  }
}

// ---------------------------------------------------------------- merge

const RENT_CEILING: Readonly<Record<string, number>> = { AED: 400_000, GBP: 30_000, USD: 40_000, EUR: 30_000, INR: 500_000 };
const SALE_FLOOR: Readonly<Record<string, number>> = { AED: 500_000, GBP: 60_000, USD: 60_000, EUR: 60_000, INR: 1_500_000 };

function toConversation(conversation: ConversationMessage[] | string): ConversationMessage[] {
  if (typeof conversation === 'string') return [{ from: 'lead', text: conversation }];
  return Array.isArray(conversation) ? conversation.filter((m) => m && typeof m.text === 'string') : [];
}

/** The profile plus what the agent needs to decide its next move. */
export function extractProfileDetailed(
  conversation: ConversationMessage[] | string,
  market: Market,
  now: string | Date,
  formAnswers?: Record<string, string>,
): ExtractionDetails {
  const msgs = toConversation(conversation);
  const nowIso = typeof now === 'string' ? now : now.toISOString();
  const p = emptyProfile();
  let strongPersona: Persona | null = null;
  let weakPersona: Persona | null = null;
  let excluded: string[] = [];
  let namedCity: string | null = null;
  const namedCities: string[] = [];
  let budget: Budget | null = null;
  let timelineSet = false;
  let typeExplicit = false;
  let timelineUnsure = false;
  const inputs: Array<{ text: string; asked: Field[]; question?: string; form?: boolean }> = [];
  if (formAnswers && typeof formAnswers === 'object') {
    const lines = Object.entries(formAnswers).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k.replace(/[:\n]/g, ' ')}: ${v.replace(/\n/g, ' ')}`);
    // one answer a line, as a form: keys the mapper cannot place are notes (form-answer.mapper)
    if (lines.length) inputs.push({ text: lines.join('\n'), asked: [], form: true });
  }
  let lastAgent: string | undefined;
  for (const m of msgs) {
    if (m.from === 'lead') {
      const text = readableLeadText(m.text);
      const pin = pinnedArea(m.text);
      // the canonical name of the pinned area reads like the lead naming it
      if (pin) inputs.push({ text: pin.area, asked: [] });
      if (text.trim()) inputs.push({ text, asked: questionFields(lastAgent), question: lastAgent });
    }
    else lastAgent = m.text;
  }
  for (const input of inputs) {
    const f = readMessage(input.text, market, nowIso, input.asked, input.question, namedCity ?? p.city, input.form === true);
    if (f.persona) {
      if (f.persona.strong) {
        // buying for investment stays investment when the lead later just says "buy"
        if (!(strongPersona === 'investor' && f.persona.value === 'buyer')) strongPersona = f.persona.value;
      } else weakPersona = f.persona.value;
    }
    if (f.cities.length) namedCity = f.correction ? f.cities[f.cities.length - 1]! : (namedCity ?? f.cities[0]!);
    for (const c of f.cities) if (!namedCities.includes(c)) namedCities.push(c);
    if (f.areas.length) {
      // "actually Bluewaters instead of Marina" swaps one place; "actually JLT" replaces the list
      if (f.correction && f.excludedAreas.length === 0 && !f.areas.every((a) => p.areas.includes(a))) p.areas = [...f.areas];
      else for (const a of f.areas) if (!p.areas.includes(a)) p.areas.push(a);
      excluded = excluded.filter((e) => !f.areas.includes(e));
    }
    if (f.excludedAreas.length) {
      excluded.push(...f.excludedAreas.filter((e) => !excluded.includes(e)));
      p.areas = p.areas.filter((a) => !f.excludedAreas.includes(a));
    }
    if (f.cities.length && p.areas.length && f.correction) {
      p.areas = p.areas.filter((a) => cityOfArea(a, market) === namedCity);
    }
    if (f.propertyType !== undefined) { p.propertyType = f.propertyType; typeExplicit = true; }
    else if (f.impliedType && !typeExplicit) p.propertyType = f.impliedType;
    if (f.beds) { p.bedsMin = f.beds.min; p.bedsMax = f.beds.max; }
    if (f.budget) {
      const prev = budget;
      budget = { ...f.budget };
      if (prev && !f.budget.currencyStated && prev.currencyStated) { budget.currency = prev.currency; budget.currencyStated = true; }
      if (prev && !f.budget.periodStated && prev.periodStated) { budget.period = prev.period; budget.periodStated = true; }
    }
    if (f.timeline !== undefined) {
      p.timeline = f.timeline;
      timelineSet = true;
      timelineUnsure = f.timeline === null;
    }
    if (f.finance) p.finance = f.finance;
  }
  // of several cities named ("sold in Manchester, buying in London"), the one the wanted areas are in
  const firstAreaCity = p.areas[0] ? cityOfArea(p.areas[0], market) : null;
  p.city = firstAreaCity !== null && namedCities.includes(firstAreaCity) ? firstAreaCity : namedCity ?? firstAreaCity;

  // persona and the budget period decide each other when the lead does not say
  let persona: Persona | null = strongPersona ?? weakPersona;
  if (!persona && budget?.periodStated && budget.period !== 'total') persona = 'tenant';
  if (!persona && (p.finance !== null)) persona = 'buyer';
  if (!persona && budget) {
    const amount = budget.max ?? budget.min ?? 0;
    if (amount >= (SALE_FLOOR[budget.currency] ?? Infinity)) persona = 'buyer';
  }
  if (!persona && inputs.some((i) => /\b(?:buy|purchase)/.test((i.question ?? '').toLowerCase()) && i.asked.length > 0)) persona = 'buyer';
  p.persona = persona;
  const listing: 'sale' | 'rent' | null = persona === 'tenant' ? 'rent' : persona ? 'sale' : null;
  if (budget) {
    p.budgetMin = budget.min;
    p.budgetMax = budget.max;
    p.currency = budget.currency;
    if (budget.periodStated) p.budgetPeriod = budget.period;
    else if (listing === 'rent') p.budgetPeriod = MARKET_RENT_PERIOD[market];
    else if (listing === 'sale') p.budgetPeriod = 'total';
    else {
      const amount = budget.max ?? budget.min ?? 0;
      p.budgetPeriod = amount > 0 && amount <= (RENT_CEILING[budget.currency] ?? 0) ? MARKET_RENT_PERIOD[market] : 'total';
    }
  }
  if (p.propertyType === null && p.bedsMin === 0 && p.bedsMax === 0) p.propertyType = 'apartment';
  void timelineSet;
  return { profile: p, excludedAreas: excluded, unsure: timelineUnsure ? ['timeline'] : [], listing: listing ?? (p.budgetPeriod && p.budgetPeriod !== 'total' ? 'rent' : p.budgetPeriod === 'total' ? 'sale' : null) };
}

/**
 * The normalised lead profile of a conversation (SPEC fields; contactValid is left false:
 * contact validity is checked by contactValidity, which needs the contact, not the text).
 */
export function extractProfile(
  conversation: ConversationMessage[] | string,
  market: Market,
  now: string | Date,
  formAnswers?: Record<string, string>,
): LeadProfile {
  return extractProfileDetailed(conversation, market, now, formAnswers).profile;
}
