import type { Market, PropertyType } from './profile.schema';
import { editDistance } from './geo.matcher';

// What one message says about who the lead is (buyer, investor, tenant), the type of property
// and how they pay, read from English text (other languages arrive glossed, lead-text.normalizer).

export type Persona = 'buyer' | 'investor' | 'tenant';
export type Finance = 'cash' | 'preapproved' | 'mortgage';

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

export function readPersona(t: string): { value: Persona; strong: boolean } | undefined {
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

export function readPropertyType(t: string, market: Market): PropertyType | null | undefined {
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

const PREAPPROVED_RE = /(?:^|[^a-z])(pre-?\s?approv(?:ed|al)|preapprov\w*|approval in principle|agreement in principle|mortgage in principle|decision in principle|aip|mip|mortgage (?:is |already |has been )?approved|approved (?:for )?(?:a |the )?(?:mortgage|loan|home loan)|bank approval|pre-?qualified|prequalified|loan (?:is |already )?(?:approved|sanctioned)|(?:have|got) (?:the |my |bank |mortgage )?approval|sanctioned loan|loan sanctioned)(?![a-z])/;
const CASH_RE = /(?:^|[^a-z])(cash(?! ?flow| ?back)|outright|self[- ]funded|no mortgage needed|without (?:a |any )?(?:mortgage|loan|finance)|(?:don'?t|do not|won'?t|will not) need (?:a |any )?(?:mortgage|loan|finance)|كاش|نقدا|نقدًا|نقد)(?![a-z])/;
const MORTGAGE_RE = /(?:^|[^a-z])(mortgages?|financ(?:e|ed|ing)|home loan|(?:a |bank )?loan|bank finance|تمويل|رهن|قرض)(?![a-z])/;

export function readFinance(t: string): Finance | undefined {
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

export const YES_RE = /^\s?(yes|yeah|yep|yup|ya|yah|sure|correct|right|of course|absolutely|definitely|indeed|y|ok|okay|i am|we are|i have|we have|already|done|نعم|ايوه|أيوه)(?![a-z])/;
const NO_RE = /^\s?(no|nope|nah|not yet|not really|n|negative|لا)(?![a-z])/;

export function financeFromYesNo(answer: string, question: string): Finance | undefined {
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
