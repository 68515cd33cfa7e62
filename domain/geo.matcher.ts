import Fuse from 'fuse.js';
import areasData from './data/areas.json' with { type: 'json' };
import type { Market } from './profile.schema';
import { foldArabic, MAX_PARSE_CHARS } from './text.util';

// Cities and areas of areas.json found in free text: exact aliases first, then fuse.js for
// small misspellings, with guards so that ordinary English words never become places.

interface AreaJson { name: string; aliases: string[] }
interface CityJson { name: string; country: string; aliases: string[]; areas: AreaJson[]; currency: string }

export interface GeoEntry {
  kind: 'city' | 'area';
  name: string;
  city: string;
  country: string;
}

export interface GeoMatch {
  /** Canonical city: the first city named, else the city of the first area. */
  city: string | null;
  /** Canonical area names in the order first mentioned, without the ones ruled out. */
  areas: string[];
  /** Areas the lead rules out ("not JVC", "anywhere but X"). */
  excludedAreas: string[];
  /** Canonical cities named explicitly, in order. */
  cities: string[];
}

const CITIES: readonly CityJson[] = (areasData as { cities: CityJson[] }).cities;

/** Abbreviations that are also everyday words or chat slang: only the upper-case form counts. */
const STRICT_CASE = new Set(['ad', 'dm', 'bb', 'dip']);

/** Ordinary English words; an alias made only of these needs the market or city to agree. */
const COMMON_WORDS = new Set(`a about above after again all also am an and any anything anywhere are area areas around as at away
back be beach because been before being below best better between big both but buy by call can city close could
creek day do does done down downtown each east else even every family far few find first flat for from
gardens get give go good great green greens harbour harbor have hello help here hi high hills home house how i if in
into is island it its just know large last let like little live located location long look looking lot love make many
marina maybe me meadows meadow might more most motor much must my near need new next nice no north not now of off
old on one only or other our out over palm park place please prefer ranches queens really right see she should sea show
slope small so some south sports spring springs square still street such sure take than thank thanks that the their them
then there these they thing think this those time to too town tower towers under up upper us very view views village
walk want was way we well west what when where which while who why will with within work would yes you your side east
estate city centre center grove bay business hills lake lakes circle triangle gold golf oasis investments production
international silicon financial creek harbour island islands quarter village beach views springs island park residence
corniche bed beds bedroom bedrooms br bhk apartment apartments flat flats villa villas townhouse studio budget rent buy cash
mortgage month months year years million k m aed usd gbp inr max min ready plan off`.split(/\s+/).filter(Boolean));

/** Words that look like aliases once misspelled (marine → Marina): never fuzzy-matched alone. */
const FUZZY_BLOCK = new Set(['marine', 'marino', 'maria', 'mariana', 'spring', 'meadow', 'green', 'queen', 'queer', 'palms', 'views', 'view',
  'greens', 'downtown', 'ranch', 'ranches', 'dubai', 'duba', 'creek', 'bahrain', 'oman', 'qatar', 'doha', 'riyadh', 'jeddah', 'cairo',
  'paris', 'berlin', 'india', 'delhi', 'chennai', 'pune', 'kolkata', 'hyderabad', 'boston', 'chicago', 'dallas', 'houston', 'seattle', 'sydney',
  'toronto', 'madrid', 'milan', 'rome', 'moscow', 'tokyo', 'london', 'regards', 'thanks', 'hello', 'months', 'month', 'budget', 'bedroom',
  'bedrooms', 'apartment', 'villa', 'villas', 'mortgage', 'approved', 'interested', 'looking', 'anywhere', 'except', 'studio', 'penthouse',
  'townhouse', 'duplex', 'office', 'please', 'maybe', 'around', 'million', 'yearly', 'monthly', 'family', 'invest', 'investment',
  'investor', 'rental', 'renting', 'buying', 'purchase', 'immediately', 'nearby', 'near', 'metro', 'school', 'schools', 'mall', 'beach',
  'balcony', 'furnished', 'unfurnished', 'parking', 'garden', 'gardens', 'terrace', 'storey', 'hills', 'marriage', 'married']);

const PERSON_INTRO_RE = /(?:^|[^\p{L}])(?:this is|i am|i'm|im|my name is|name's|called|regards|cheers|thanks|thank you|mr|mrs|ms|dr)[\s,.-]{0,3}$/iu;

/** Last words that only say what kind of place an area is (Al Raha *Beach*, Discovery *Gardens*). */
const GENERIC_LAST_WORDS = new Set(['beach', 'gardens', 'island', 'layout']);

interface AliasEntry { key: string; entry: GeoEntry; strict: boolean; common: boolean; capsOnly: boolean }

function normKey(s: string): string {
  return foldArabic(s.toLowerCase()).replace(/['’]/g, '').replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ').trim();
}

const ALIAS_MAP = new Map<string, AliasEntry[]>();
const ALIAS_LIST: AliasEntry[] = [];
const ALIAS_VOCAB = new Set<string>();
const ALIAS_PREFIX3 = new Set<string>();
let MAX_ALIAS_WORDS = 1;

function addAlias(raw: string, entry: GeoEntry): void {
  const key = normKey(raw);
  if (!key) return;
  const words = key.split(' ');
  const strict = STRICT_CASE.has(key);
  const common = words.filter((w) => w !== 'the').every((w) => COMMON_WORDS.has(w));
  // "the views are lovely", "palm trees": these two need a capital letter
  const capsOnly = key === 'the views' || key === 'views' || key === 'palm';
  const ae: AliasEntry = { key, entry, strict, common, capsOnly };
  const list = ALIAS_MAP.get(key) ?? [];
  if (list.some((x) => x.entry.name === entry.name && x.entry.city === entry.city)) return;
  list.push(ae);
  ALIAS_MAP.set(key, list);
  ALIAS_LIST.push(ae);
  MAX_ALIAS_WORDS = Math.max(MAX_ALIAS_WORDS, words.length);
  for (const w of words) {
    ALIAS_VOCAB.add(w);
    if (w.length >= 4) ALIAS_PREFIX3.add(w.slice(0, 2));
  }
}

for (const c of CITIES) {
  const cityEntry: GeoEntry = { kind: 'city', name: c.name, city: c.name, country: c.country };
  addAlias(c.name, cityEntry);
  for (const a of c.aliases) addAlias(a, cityEntry);
  for (const a of c.areas) {
    const e: GeoEntry = { kind: 'area', name: a.name, city: c.name, country: c.country };
    const forms = [a.name, ...a.aliases];
    const nameKey = normKey(a.name);
    for (const f of forms) {
      addAlias(f, e);
      const k = normKey(f);
      if (k.startsWith('the ') && k.length > 8) addAlias(k.slice(4), e);
      if (k.startsWith('al ') && k.length >= 9) addAlias(k.slice(3), e);
      // "Al Reem" for Al Reem Island (alias "Reem"): the article is often written with a short form
      if (nameKey.startsWith('al ') && !k.startsWith('al ') && !k.startsWith('the ')) addAlias(`al ${k}`, e);
    }
    // "Raha" for Al Raha Beach, "Discovery" for Discovery Gardens: the name without its generic last word
    const core = nameKey.replace(/^al /, '').split(' ');
    if (core.length === 2 && GENERIC_LAST_WORDS.has(core[1]!) && core[0]!.length >= 4 && !COMMON_WORDS.has(core[0]!)
      && !CITIES.some((c) => normKey(c.name) === core[0])) addAlias(core[0]!, e);
  }
}

const FUSE = new Fuse(ALIAS_LIST, { keys: ['key'], includeScore: true, threshold: 0.35, ignoreLocation: true, minMatchCharLength: 3 });

export function cityOfArea(area: string, market?: Market): string | null {
  const hits = CITIES.filter((c) => c.areas.some((a) => a.name === area));
  return (hits.find((c) => c.country === market) ?? hits[0])?.name ?? null;
}

/** Optimal string alignment distance, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

function allowedEdits(len: number): number {
  if (len < 5) return 0;
  if (len <= 8) return 1;
  if (len <= 15) return 2;
  return 3;
}

const fuzzyCache = new Map<string, AliasEntry[] | null>();

function fuzzyLookup(window: string): AliasEntry[] | null {
  const cached = fuzzyCache.get(window);
  if (cached !== undefined) return cached;
  let best: AliasEntry[] | null = null;
  const limit = allowedEdits(window.length);
  if (limit > 0) {
    let bestD = limit + 1;
    for (const r of FUSE.search(window, { limit: 8 })) {
      const k = r.item.key;
      if (k[0] !== window[0]) continue;
      // "Arabian Ranch 2" must keep its 2
      if (k.replace(/\D/g, '') !== window.replace(/\D/g, '')) continue;
      const d = editDistance(window, k, Math.min(limit, allowedEdits(k.length)));
      if (d < bestD) { bestD = d; best = ALIAS_MAP.get(k) ?? null; }
    }
  }
  if (fuzzyCache.size > 5000) fuzzyCache.clear();
  fuzzyCache.set(window, best);
  return best;
}

interface Token { lower: string; raw: string; start: number; end: number }

/** Abbreviations people write inside place names ("Intl City", "Town Sq"), read as the full word. */
const NAME_ABBREVIATIONS: Readonly<Record<string, string>> = {
  intl: 'international', int: 'international', vlg: 'village', vill: 'village', sq: 'square', est: 'estate', hts: 'heights',
  jumeira: 'jumeirah', isl: 'island', ctr: 'centre',
};

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // \p{M}: Devanagari vowel signs and Arabic marks are part of the word
  const re = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}]+)?/gu;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const raw = m[0].replace(/['’]/g, '');
    const lower = foldArabic(raw.toLowerCase());
    out.push({ raw, lower: NAME_ABBREVIATIONS[lower] ?? lower, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

interface Mention { start: number; end: number; tokenStart: number; tokenEnd: number; options: AliasEntry[]; fuzzy: boolean }

function acceptable(ae: AliasEntry, tokens: Token[], i: number, n: number, text: string, market: Market, ctxCity: string | null): boolean {
  const rawPhrase = tokens.slice(i, i + n).map((t) => t.raw).join(' ');
  if (ae.strict) {
    if (rawPhrase !== rawPhrase.toUpperCase()) return false;
    // "saw your AD", "DM me": chat words, not places
    if (/(?:your|the|an|this|that|my|a|pls|please)\s$/i.test(text.slice(Math.max(0, tokens[i]!.start - 8), tokens[i]!.start))) return false;
    if (/^\s(?:me|us|you|him|her|them)(?![\p{L}])/iu.test(text.slice(tokens[i + n - 1]!.end, tokens[i + n - 1]!.end + 6))) return false;
  }
  const last = tokens[i + n - 1]!;
  // lower-case "the views" counts only as a place you live in ("in the views")
  if (ae.capsOnly && !/^\p{Lu}/u.test(last.raw) && !/(?:^|\s)(?:in|at|near|around|on)\s$/i.test(text.slice(Math.max(0, tokens[i]!.start - 6), tokens[i]!.start))) return false;
  if (n === 1 && /^\s?(?:here|is my name|speaking)(?![\p{L}])/iu.test(text.slice(last.end, last.end + 14))) return false;
  if (ae.common) {
    const sameMarket = ae.entry.country === market || ae.entry.city === ctxCity;
    if (!sameMarket) return false;
  }
  if (n === 1 && ae.entry.kind === 'area' && PERSON_INTRO_RE.test(text.slice(Math.max(0, tokens[i]!.start - 16), tokens[i]!.start))) return false;
  // "a DIP" / "my DIP" is a decision in principle, not Dubai Investments Park
  if (ae.key === 'dip' && /(?:\ba|\bmy|\bhave|\bgot|\bthe)\s$/i.test(text.slice(Math.max(0, tokens[i]!.start - 6), tokens[i]!.start))) return false;
  return true;
}

function findMentions(text: string, market: Market, ctxCity: string | null): Mention[] {
  const tokens = tokenize(text);
  const used = new Array<boolean>(tokens.length).fill(false);
  const mentions: Mention[] = [];
  // exact aliases, longest first
  for (let i = 0; i < tokens.length; i++) {
    for (let n = Math.min(MAX_ALIAS_WORDS, tokens.length - i); n >= 1; n--) {
      const key = tokens.slice(i, i + n).map((t) => t.lower).join(' ');
      const list = ALIAS_MAP.get(key);
      if (!list) continue;
      // "Damac Hills, 2 million" is Damac Hills: a name never runs across punctuation
      if (n > 1 && tokens.slice(i, i + n - 1).some((t, k) => !/^[\s\-'’]*$/.test(text.slice(t.end, tokens[i + k + 1]!.start)))) continue;
      const ok = list.filter((ae) => acceptable(ae, tokens, i, n, text, market, ctxCity));
      if (ok.length === 0) continue;
      mentions.push({ start: tokens[i]!.start, end: tokens[i + n - 1]!.end, tokenStart: i, tokenEnd: i + n, options: ok, fuzzy: false });
      for (let k = i; k < i + n; k++) used[k] = true;
      i += n - 1;
      break;
    }
  }
  // misspellings: windows of words near an alias, containing a word we do not know
  // a singular written for an alias's plural ("Jumeirah Lake Tower") is part of the name too
  // misspellings are looked for in Latin script only: Arabic and Devanagari aliases match as written
  const isCandidateWord = (t: Token): boolean => ALIAS_VOCAB.has(t.lower) || ALIAS_VOCAB.has(`${t.lower}s`)
    || (/^\p{Script=Latin}/u.test(t.lower) && t.lower.length >= 3 && !COMMON_WORDS.has(t.lower));
  let fuzzyBudget = 200;
  for (let i = 0; i < tokens.length && fuzzyBudget > 0; i++) {
    for (let n = Math.min(4, tokens.length - i); n >= 1 && fuzzyBudget > 0; n--) {
      const win = tokens.slice(i, i + n);
      if (!win.every(isCandidateWord)) continue;
      if (mentions.some((m) => m.tokenStart <= i && m.tokenEnd >= i + n)) continue;
      // at least one word that is neither everyday English nor a whole alias on its own
      const distinctive = win.some((t) => !COMMON_WORDS.has(t.lower) && !FUZZY_BLOCK.has(t.lower) && /^\p{L}/u.test(t.lower));
      if (!distinctive) continue;
      if (n === 1 && (FUZZY_BLOCK.has(win[0]!.lower) || win[0]!.lower.length < 5)) continue;
      if (!win.some((t) => t.lower.length >= 4 && ALIAS_PREFIX3.has(t.lower.slice(0, 2)))) continue;
      const key = win.map((t) => t.lower).join(' ');
      if (ALIAS_MAP.has(key)) continue;
      fuzzyBudget--;
      const hit = fuzzyLookup(key);
      if (!hit) continue;
      const ok = hit.filter((ae) => !ae.strict && !ae.capsOnly && !(n === 1 && ae.common) && (!ae.common || ae.entry.country === market));
      if (ok.length === 0) continue;
      // replace the exact mentions this longer match covers ("Jumeira" inside "Jumeira Village Cirle")
      for (let k = mentions.length - 1; k >= 0; k--) {
        const m = mentions[k]!;
        if (m.tokenStart >= i && m.tokenEnd <= i + n) mentions.splice(k, 1);
      }
      mentions.push({ start: win[0]!.start, end: win[n - 1]!.end, tokenStart: i, tokenEnd: i + n, options: ok, fuzzy: true });
      for (let k = i; k < i + n; k++) used[k] = true;
      i += n - 1;
      break;
    }
  }
  return mentions.sort((a, b) => a.start - b.start);
}

const NEG_CUE_RE = /(?:^|[^\p{L}])(forget about|forget|scrap|scratch|drop|skip|remove|cross off|cross out|leave out|rule out|not|no|except|excluding|exclude|other than|anywhere but|anything but|but not|avoid|avoiding|don'?t want|do not want|don'?t like|dont like|rather not|without|apart from|besides|never|nothing in|hate|instead of|rather than)(?![\p{L}])/gu;
/** A place the lead comes from ("relocating from London", "funds coming from Dubai") is not one they want. */
const ORIGIN_BEFORE_RE = /(?:^|[^\p{L}])(?:(?:relocat\w*|moving|move|moved|coming|come|came|transferr?\w*|shifting|funds?|money|i'?m|i am|we'?re|we are|originally|i'?m originally|flying|travel\w*)\s(?:\p{L}+\s)?from|(?:currently|presently|now)\s(?:living\s|based\s|staying\s|renting\s)?in|(?:i|we)\s(?:currently\s)?(?:live|stay|am living|are living|am staying)\s(?:in|at)|(?:i'?m|i am|we'?re|we are)\s(?:currently\s)?based\sin|based\sout\sof)\s(?:the\s)?$/iu;
const DROP_CUES = new Set(['forget about', 'forget', 'scrap', 'scratch', 'drop', 'skip', 'remove', 'cross off', 'cross out', 'leave out', 'rule out']);
const NEG_SKIP_AFTER_RE = /^\s(?:sure|only|just|necessarily|yet|bad|too|that|really|much|a problem|now|urgent|in a rush|rush|worries|idea|preference|need|i\b|we\b|thanks|thank|problem)/;
const SCOPE_END_RE = /[,.;!?\n]|\s(?:but|maybe|prefer|preferably|instead|only|rather|ideally|however|though|so)(?![\p{L}])/u;
// Hinglish puts the "no" after the place: "JVC nahi", "Deira mein nahi chahiye"
const POST_NEG_RE = /^\s?(?:is|are)?\s?(?:out|a no|not an option|not for me|no go|off the table|excluded|too far|too expensive|too busy)(?![\p{L}])|^\s?(?:no thanks|no way)(?![\p{L}])|^\s?(?:mein |me |main |ke |ki )?(?:nahi|nahin|nai|mat)(?![\p{L}])/u;

function excludedRanges(lower: string): Array<[number, number, boolean]> {
  const out: Array<[number, number, boolean]> = [];
  NEG_CUE_RE.lastIndex = 0;
  for (let m = NEG_CUE_RE.exec(lower); m !== null; m = NEG_CUE_RE.exec(lower)) {
    const cue = m[1] ?? '';
    const from = m.index + m[0].length;
    if ((cue === 'not' || cue === 'no') && NEG_SKIP_AFTER_RE.test(lower.slice(from, from + 20))) continue;
    const rest = lower.slice(from, from + 200);
    const end = SCOPE_END_RE.exec(rest);
    // "no"/"not" only rule out a place named right after them ("not JVC", "not in JVC")
    // the verbs of dropping a place ("forget JLT", "scrap Deira") have other objects too ("drop me a line")
    const tight = cue === 'not' || cue === 'no' || cue === 'never' || cue === 'without' || cue === 'instead of' || cue === 'rather than' || DROP_CUES.has(cue);
    out.push([from, from + (end ? end.index : rest.length), tight]);
  }
  return out;
}

function choose(options: AliasEntry[], market: Market, ctxCity: string | null): AliasEntry {
  return options.find((o) => ctxCity !== null && o.entry.city === ctxCity)
    ?? options.find((o) => o.entry.country === market)
    ?? options[0]!;
}

/**
 * Cities and areas named in `text`. Ambiguous names are resolved by the city the lead names
 * (or `cityContext`), then by the market; places the lead rules out are reported apart.
 */
export function geoMatch(text: string, market: Market, cityContext?: string | null): GeoMatch {
  const empty: GeoMatch = { city: null, areas: [], excludedAreas: [], cities: [] };
  if (typeof text !== 'string' || text.length === 0) return empty;
  const src = text.length > MAX_PARSE_CHARS ? text.slice(0, MAX_PARSE_CHARS) : text;
  const lower = src.toLowerCase();
  const firstPass = findMentions(src, market, cityContext ?? null)
    .filter((m) => !ORIGIN_BEFORE_RE.test(src.slice(Math.max(0, m.start - 40), m.start)));
  // "from London to Dubai": of the cities named, the one in the lead's market is where they look
  const cityOptions = firstPass.flatMap((m) => m.options.filter((o) => o.entry.kind === 'city'));
  const namedCity = (cityOptions.find((o) => o.entry.country === market) ?? cityOptions[0])?.entry.city ?? null;
  const ctxCity = cityContext ?? namedCity;
  const mentions = ctxCity && ctxCity !== cityContext
    ? findMentions(src, market, ctxCity).filter((m) => !ORIGIN_BEFORE_RE.test(src.slice(Math.max(0, m.start - 40), m.start)))
    : firstPass;
  // a place abroad named next to places in the lead's own market is most likely something else
  const inMarket = mentions.some((m) => m.options.some((o) => o.entry.country === market));
  if (inMarket && !cityContext) {
    for (const m of mentions) {
      const local = m.options.filter((o) => o.entry.country === market || (namedCity !== null && o.entry.city === namedCity));
      if (local.length > 0) m.options = local;
    }
    for (let k = mentions.length - 1; k >= 0; k--) {
      const m = mentions[k]!;
      if (!m.options.some((o) => o.entry.country === market || o.entry.city === namedCity)) mentions.splice(k, 1);
    }
  }
  const ranges = excludedRanges(lower);
  const areas: string[] = [];
  const excluded: string[] = [];
  const cities: string[] = [];
  let areaCity: string | null = null;
  let lastExcludedEnd = -1;
  for (const m of mentions) {
    const pick = choose(m.options, market, ctxCity ?? areaCity);
    if (pick.entry.kind === 'city') {
      if (!cities.includes(pick.entry.city)) cities.push(pick.entry.city);
      continue;
    }
    const inScope = ranges.some(([a, b, tight]) => m.start >= a && m.start < b && (!tight || /^\s?(?:in|at|to|the|near|around|interested in|looking at|looking in|keen on|for)?\s?(?:the\s)?$/.test(lower.slice(a, m.start))));
    const postNeg = POST_NEG_RE.test(lower.slice(m.end, m.end + 30));
    // "not JVC or JVT", "no Deira / Bur Dubai": a list right after a ruled-out place is ruled out too
    const listed = lastExcludedEnd >= 0 && m.start - lastExcludedEnd <= 12
      && /^\s?(?:or|nor|and|\/|&)\s?(?:in\s)?(?:the\s)?$/.test(lower.slice(lastExcludedEnd, m.start));
    if (inScope || postNeg || listed) {
      if (!excluded.includes(pick.entry.name)) excluded.push(pick.entry.name);
      lastExcludedEnd = m.end;
      continue;
    }
    lastExcludedEnd = -1;
    areaCity ??= pick.entry.city;
    if (!areas.includes(pick.entry.name)) areas.push(pick.entry.name);
  }
  // "sold my place in Manchester, buying in London - Islington": of the cities named, the one the wanted areas are in
  const city = areaCity !== null && cities.includes(areaCity) ? areaCity : cities[0] ?? areaCity;
  return { city, areas, excludedAreas: excluded.filter((e) => !areas.includes(e)), cities };
}

/** Whether a phrase is a whole place alias (the Arabic gloss keeps these as written). */
export function isPlaceAlias(phrase: string): boolean {
  return ALIAS_MAP.has(normKey(phrase));
}

/** The most words a place alias has. */
export function maxAliasWords(): number {
  return MAX_ALIAS_WORDS;
}

/** Whether a folded word is part of some place alias (used to split Arabic clitics: "بدبي"). */
export function isPlaceWord(word: string): boolean {
  return ALIAS_VOCAB.has(foldArabic(word.toLowerCase()));
}

/** How the area is written in a script ("Arabic": دبي مارينا), for replies; null when we have no such alias. */
export function areaNameIn(area: string, script: 'Arabic' | 'Devanagari'): string | null {
  const re = script === 'Arabic' ? /\p{Script=Arabic}/u : /\p{Script=Devanagari}/u;
  for (const c of CITIES) {
    if (c.name === area) return c.aliases.find((a) => re.test(a)) ?? null;
    const a = c.areas.find((x) => x.name === area);
    if (a) return a.aliases.find((x) => re.test(x)) ?? null;
  }
  return null;
}
