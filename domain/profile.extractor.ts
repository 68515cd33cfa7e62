import type { ConversationMessage } from './agent.types';
import { normalizeBudget, MARKET_RENT_PERIOD, type Budget } from './budget.parser';
import { budgetWithKeyUnits, classifyFormKey, formValueText, unknownAnswerKind, type FormKeyKind } from './form-answer.mapper';
import { cityOfArea, editDistance, geoMatch, nearestArea } from './geo.matcher';
import { toPivotText } from './lead-text.normalizer';
import { emptyProfile, type LeadProfile, type Market, type PropertyType } from './profile.schema';
import { BARE_LEAD_IN, CORRECTION_RE, MAX_PARSE_CHARS, NUMBER_WORDS, SMALL_NUMBER_WORD_RE } from './text.util';
import { parseTimeline, type Timeline } from './timeline.parser';

// Reads a whole conversation into the normalised LeadProfile of ../shared/evals/SPEC.md.
// Each lead message is read on its own, against the question the agent asked just before it;
// the facts are then merged in order, so later statements override earlier ones.

export type Field = 'persona' | 'city' | 'area' | 'propertyType' | 'beds' | 'budget' | 'timeline' | 'finance';
type Persona = 'buyer' | 'investor' | 'tenant';
type Finance = 'cash' | 'preapproved' | 'mortgage';

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

// ---------------------------------------------------------------- per-field readers

const NEG_BEFORE = /(?:not|no|don'?t|dont|never|won'?t|not looking to|not planning to|not interested in|rather than|instead of|currently|now|at the moment|been)\s(?:\w+\s)?$/;

function firstUnnegated(t: string, re: RegExp): number {
  re.lastIndex = 0;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    const at = m.index + (m[0].length - m[0].trimStart().length);
    if (!NEG_BEFORE.test(t.slice(Math.max(0, at - 28), at))) return at;
  }
  return -1;
}

const INVESTOR_RE = /(?:^|[^a-z])(invest(?:ment|ing|or|ors)?|roi|r\.o\.i|rental (?:yield|income|returns?)|yields?|good returns?|high returns?|return on|flip(?:ping)?|resell|re-sell|resale|portfolio|capital (?:appreciation|gains?)|buy[ -]to[ -]let|rent (?:it |them )?out|to let out|let it out|passive income|airbnb|holiday let)(?![a-z])/g;
const TENANT_RE = /(?:^|[^a-z])(rent|renting|rental|to let|lease|leasing|tenancy|tenant|for rent)(?![a-z])/g;
const TENANT_NOT_RE = /^\s?(?:yield|income|returns?|roi|it out|them out|out|now|currently|at the moment|right now|at present)(?![a-z])/;
const BUYER_RE = /(?:^|[^a-z])(buy|buying|purchase|purchasing|first home|for sale|end[- ]user|own use|self use|to live in|live in it|my own home|homeowner|own a home|own home|ownership|looking to own|want to own|to own)(?![a-z])/g;

function readPersona(t: string): MessageFacts['persona'] {
  const inv = firstUnnegated(t, INVESTOR_RE);
  if (inv >= 0) return { value: 'investor', strong: true };
  let ten = -1;
  TENANT_RE.lastIndex = 0;
  for (let m = TENANT_RE.exec(t); m !== null; m = TENANT_RE.exec(t)) {
    const at = m.index + (m[0].length - m[0].trimStart().length);
    const end = m.index + m[0].length;
    if (TENANT_NOT_RE.test(t.slice(end, end + 12))) continue;
    if (NEG_BEFORE.test(t.slice(Math.max(0, at - 28), at))) continue;
    ten = at;
    break;
  }
  const buy = firstUnnegated(t, BUYER_RE);
  if (ten >= 0 && (buy < 0 || ten < buy)) return { value: 'tenant', strong: true };
  if (buy >= 0) return { value: 'buyer', strong: true };
  return undefined;
}

const TYPE_PATTERNS: ReadonlyArray<[PropertyType, RegExp]> = [
  ['penthouse', /(?:^|[^a-z])(penthouses?|ph(?= ))(?![a-z])/],
  ['townhouse', /(?:^|[^a-z])(town ?houses?|town ?homes?|terraced house|terrace house)(?![a-z])/],
  ['duplex', /(?:^|[^a-z])(duplex(?:es)?)(?![a-z])/],
  ['villa', /(?:^|[^a-z])(villas?|bungalows?|independent house|detached house)(?![a-z])/],
  ['apartment', /(?:^|[^a-z])(apartments?|apt|apts|flats?|condos?|condominiums?|studios?|loft)(?![a-z])/],
  // a bare "office" is the property unless it is somebody's workplace ("near my office", "office hours")
  ['office', /(?:^|[^a-z])(?<!(?:my|our|your|his|her|their|the|to|from|near|at|sales|back|head|post|home|box|of) )(offices?)(?![a-z])(?! (?:hours|job|work|is|was|timings?|colleagues?|commute)(?![a-z]))/],
  ['retail', /(?:^|[^a-z])(retail(?: space| unit| shop)?|a shop|shop space|showroom|commercial shop)(?![a-z])/],
  // "land" the property, not the verb ("when I land in Dubai")
  ['land', /(?:^|[^a-z])(?<!(?:i|we|i'll|we'll|once|when|after|before|until|till|will|to|plane|flight) )(plots?(?: of land)?|land plot|piece of land|residential land|commercial land|buy land|land for|lands?)(?![a-z])(?! (?:in|at) (?:the )?(?:airport|dxb|dubai|on))/],
];

/** Everyday misspellings of the property words ("appartment", "vila", "pentouse"). */
const TYPE_TYPO_TARGETS: ReadonlyArray<[string, PropertyType]> = [
  ['apartment', 'apartment'], ['apartments', 'apartment'], ['villa', 'villa'], ['villas', 'villa'], ['townhouse', 'townhouse'],
  ['penthouse', 'penthouse'], ['duplex', 'duplex'], ['condo', 'apartment'],
];

function typoType(t: string): { at: number; type: PropertyType } | null {
  const re = /[a-z]{4,12}/g;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    const w = m[0];
    for (const [target, type] of TYPE_TYPO_TARGETS) {
      if (w === target || w[0] !== target[0]) continue;
      const limit = target.length >= 8 ? 2 : 1;
      // short words only by a doubled or dropped letter ("vila", "villla"), never "vital"
      if (target.length < 6 && Math.abs(w.length - target.length) !== 1) continue;
      if (editDistance(w, target, limit) <= limit) return { at: m.index, type };
    }
  }
  return null;
}

function readPropertyType(t: string, market: Market): PropertyType | null | undefined {
  let best: { at: number; type: PropertyType } | null = null;
  for (const [type, re] of TYPE_PATTERNS) {
    const m = re.exec(t);
    if (!m) continue;
    const at = m.index;
    if (NEG_BEFORE.test(t.slice(Math.max(0, at - 20), at + 1)) && /(?:not|no|don'?t)\s(?:an?\s)?$/.test(t.slice(Math.max(0, at - 12), at + 1))) continue;
    if (!best || at < best.at) best = { at, type };
  }
  if (best) return best.type;
  const typo = typoType(t);
  if (typo) return typo.type;
  const house = /(?:^|[^a-z])houses?(?![a-z])/.exec(t);
  if (house && !/(?:ware|guest|town|pent|open|full|in-|club|light|green|boat|farm|court|in )$/.test(t.slice(Math.max(0, house.index - 5), house.index + 1))) {
    // SPEC: a bare "house" is a villa in the UAE and says nothing elsewhere
    return market === 'AE' ? 'villa' : undefined;
  }
  return undefined;
}

const BED_WORD = String.raw`(?:bed(?:room)?s?|bed rooms?|br|brs|bhk|bdr|bdrs|bdrm|bdrms|bd|b\/r|bedders?|rk)`;
const N = String.raw`(\d{1,2}|${SMALL_NUMBER_WORD_RE})`;
const BEDS_RANGE_RE = new RegExp(String.raw`(?:^|[^a-z0-9.,])${N}\s?(?:-|to|or|–|\/|and)\s?${N}\s?-?\s?${BED_WORD}(?![a-z])`);
const BEDS_MIN_BEFORE_RE = new RegExp(String.raw`(?:at ?least|minimum|min\.?|no less than|not less than|more than)\s(?:of\s)?${N}\s?-?\s?${BED_WORD}?(?![a-z])`);
// "3 or more bedrooms", "4 plus beds": the open end written between the figure and the bed word
const BEDS_MIN_BETWEEN_RE = new RegExp(String.raw`(?:^|[^a-z0-9.,])${N}\s?(?:or more|and more|or above|and above|plus|and up|or bigger|or larger)\s${BED_WORD}(?![a-z])`);
const BEDS_PLUS_RE = new RegExp(String.raw`(?:^|[^a-z0-9.,])${N}\s?\+\s?(${BED_WORD}|maids?|maid'?s|study|1(?![0-9]))?`);
const BEDS_MIN_AFTER_RE = new RegExp(String.raw`(?:^|[^a-z0-9.,])${N}\s?-?\s?${BED_WORD}(?![a-z])\s?(?:or more|and above|or above|plus|minimum|min|at least|or bigger|or larger)(?![a-z])`);
const BEDS_ONE_RE = new RegExp(String.raw`(?:^|[^a-z0-9.,])${N}\s?-?\s?${BED_WORD}(?![a-z])`, 'g');
const STUDIO_RE = /(?:^|[^a-z])studios?(?![a-z])/;
// "studio or 1 bed", "1 bed or studio": a studio is 0 bedrooms, so these are ranges
const STUDIO_RANGE_RE = new RegExp(String.raw`(?:^|[^a-z])(?:studios?\s?(?:-|to|or|\/|ya|and)\s?${N}\s?-?\s?${BED_WORD}|${N}\s?-?\s?${BED_WORD}\s?(?:-|to|or|\/|ya|and)\s?(?:a\s)?studios?)(?![a-z])`);
// "1 BHK or 2 BHK", "2 bed / 3 bed", Hinglish "1 BHK ya 2 BHK": the bed word written twice
const BEDS_RANGE_TWICE_RE = new RegExp(String.raw`(?:^|[^a-z0-9.,])${N}\s?-?\s?${BED_WORD}\s?(?:-|to|or|\/|ya|and)\s?${N}\s?-?\s?${BED_WORD}(?![a-z])`);

const BEDS_BARE_RE = new RegExp(String.raw`^\s?${BARE_LEAD_IN}(?:i need |we need |need |maybe |probably |around |about )?${N}(?:\s?(?:-|to|or)\s?${N})?\s?(\+)?\s?(?:please|pls|ideally|minimum)?[.!]?\s?$`);

function toInt(w: string | undefined): number | null {
  if (w === undefined) return null;
  if (/^\d+$/.test(w)) return Number(w);
  const n = NUMBER_WORDS[w];
  return n === undefined ? null : n;
}

function readBeds(t: string, expect: boolean): MessageFacts['beds'] {
  const range = BEDS_RANGE_RE.exec(t);
  const minBefore = BEDS_MIN_BEFORE_RE.exec(t);
  const minAfter = BEDS_MIN_AFTER_RE.exec(t);
  const plus = BEDS_PLUS_RE.exec(t);
  const hits: Array<{ at: number; v: { min: number | null; max: number | null } }> = [];
  const studioRange = STUDIO_RANGE_RE.exec(t);
  if (studioRange) {
    const n = toInt(studioRange[1] ?? studioRange[2]);
    if (n !== null && n <= 12) hits.push({ at: studioRange.index, v: { min: 0, max: n } });
  }
  const twice = BEDS_RANGE_TWICE_RE.exec(t);
  if (twice) {
    const a = toInt(twice[1]);
    const b = toInt(twice[2]);
    if (a !== null && b !== null && a <= 12 && b <= 12 && a !== b) hits.push({ at: twice.index, v: { min: Math.min(a, b), max: Math.max(a, b) } });
  }
  if (range) {
    const a = toInt(range[1]);
    const b = toInt(range[2]);
    if (a !== null && b !== null && a <= 12 && b <= 12) hits.push({ at: range.index, v: { min: Math.min(a, b), max: Math.max(a, b) } });
  }
  if (minBefore) {
    const a = toInt(minBefore[1]);
    if (a !== null && a <= 12 && (minBefore[0].match(new RegExp(BED_WORD)) || expect)) hits.push({ at: minBefore.index, v: { min: a, max: null } });
  }
  const minBetween = BEDS_MIN_BETWEEN_RE.exec(t);
  if (minBetween) {
    const a = toInt(minBetween[1]);
    if (a !== null && a <= 12) hits.push({ at: minBetween.index, v: { min: a, max: null } });
  }
  if (minAfter) {
    const a = toInt(minAfter[1]);
    if (a !== null && a <= 12) hits.push({ at: minAfter.index, v: { min: a, max: null } });
  }
  if (plus) {
    const a = toInt(plus[1]);
    const what = plus[2];
    // "3+maid" and "3+1" are three bedrooms and a maid's room; "3+" and "3+ beds" are three or more
    const bedsOrExpected = what !== undefined || expect;
    if (a !== null && a <= 12 && bedsOrExpected) {
      const exact = what !== undefined && /^(maids?|maid'?s|study|1)$/.test(what);
      const tail = t.slice(plus.index + plus[0].length, plus.index + plus[0].length + 4);
      if (!(what === undefined && /^\s?\d/.test(tail))) hits.push({ at: plus.index, v: exact ? { min: a, max: a } : { min: a, max: null } });
    }
  }
  BEDS_ONE_RE.lastIndex = 0;
  for (let m = BEDS_ONE_RE.exec(t); m !== null; m = BEDS_ONE_RE.exec(t)) {
    const a = toInt(m[1]);
    if (a === null || a > 12) continue;
    if (hits.some((h) => Math.abs(h.at - m!.index) < 12)) continue;
    hits.push({ at: m.index, v: { min: a, max: a } });
  }
  const studio = STUDIO_RE.exec(t);
  if (studio && !hits.some((h) => Math.abs(h.at - studio.index) < 24)) hits.push({ at: studio.index, v: { min: 0, max: 0 } });
  if (hits.length === 0 && expect) {
    const bare = BEDS_BARE_RE.exec(t);
    if (bare) {
      const a = toInt(bare[1]);
      const b = toInt(bare[2]);
      if (a !== null && a <= 12) {
        if (bare[3]) return { min: a, max: null };
        if (b !== null && b <= 12) return { min: Math.min(a, b), max: Math.max(a, b) };
        return { min: a, max: a };
      }
    }
  }
  if (hits.length === 0) return undefined;
  hits.sort((x, y) => x.at - y.at);
  const first = hits[0]!;
  const last = hits[hits.length - 1]!;
  return hits.length > 1 && CORRECTION_RE.test(t.slice(first.at, last.at)) ? last.v : first.v;
}

const PREAPPROVED_RE = /(?:^|[^a-z])(pre-?\s?approv(?:ed|al)|preapprov\w*|approval in principle|agreement in principle|mortgage in principle|decision in principle|aip|mip|mortgage (?:is |already |has been )?approved|approved (?:for )?(?:a |the )?(?:mortgage|loan|home loan)|bank approval|pre-?qualified|prequalified|loan (?:is |already )?(?:approved|sanctioned)|(?:have|got) (?:the |my |bank |mortgage )?approval|sanctioned loan|loan sanctioned)(?![a-z])/;
const CASH_RE = /(?:^|[^a-z])(cash(?! ?flow| ?back)|outright|self[- ]funded|no mortgage needed|without (?:a |any )?(?:mortgage|loan|finance)|(?:don'?t|do not|won'?t|will not) need (?:a |any )?(?:mortgage|loan|finance)|كاش|نقدا|نقدًا|نقد)(?![a-z])/;
const MORTGAGE_RE = /(?:^|[^a-z])(mortgages?|financ(?:e|ed|ing)|home loan|(?:a |bank )?loan|bank finance|تمويل|رهن|قرض)(?![a-z])/;

function readFinance(t: string): Finance | undefined {
  const pre = PREAPPROVED_RE.exec(t);
  // "not pre-approved yet", "no AIP", "haven't got approval": they will need a mortgage
  if (pre && /(?:not|no|without|haven'?t|have not|hasn'?t|not yet|don'?t have|do not have|yet to get|waiting for|need(?: to get)?|applying for|apply for)\s(?:\w+\s){0,2}$/.test(t.slice(Math.max(0, pre.index - 30), pre.index + 1))) return 'mortgage';
  if (pre) return 'preapproved';
  const cash = CASH_RE.exec(t);
  const mort = MORTGAGE_RE.exec(t);
  const cashOk = cash && !/(?:not|no|don'?t have|without)\s(?:\w+\s)?$/.test(t.slice(Math.max(0, cash.index - 20), cash.index + 1));
  const mortOk = mort && !/(?:not|no|don'?t|without|won'?t)\s(?:\w+\s){0,2}$/.test(t.slice(Math.max(0, mort.index - 24), mort.index + 1));
  if (cashOk && (!mortOk || cash.index <= mort!.index)) return 'cash';
  if (mortOk) return 'mortgage';
  if (cash && !cashOk) return 'mortgage';
  return undefined;
}

const YES_RE = /^\s?(yes|yeah|yep|yup|ya|yah|sure|correct|right|of course|absolutely|definitely|indeed|y|ok|okay|i am|we are|i have|we have|already|done|نعم|ايوه|أيوه)(?![a-z])/;
const NO_RE = /^\s?(no|nope|nah|not yet|not really|n|negative|لا)(?![a-z])/;

function financeFromYesNo(answer: string, question: string): Finance | undefined {
  const yes = YES_RE.test(answer);
  const no = !yes && NO_RE.test(answer);
  if (!yes && !no) return undefined;
  const q = question.toLowerCase();
  const mentionsApproval = /pre-?approv|approval|approved|in principle|\baip\b/.test(q);
  const mentionsCash = /cash/.test(q);
  const mentionsMortgage = /mortgage|financ|loan/.test(q);
  if (mentionsApproval) return yes ? 'preapproved' : 'mortgage';
  if (mentionsCash && !mentionsMortgage) return yes ? 'cash' : 'mortgage';
  if (mentionsMortgage && !mentionsCash) return yes ? 'mortgage' : 'cash';
  return undefined;
}

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
