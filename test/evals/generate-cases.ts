import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import areasData from '../../domain/data/areas.json' with { type: 'json' };

// Generates test/evals/cases.own.jsonl: cases in the SPEC format with the expected profile
// computed from what was written, covering every SPEC rule in all four markets, single
// messages, multi-turn bare answers, Lead Ads forms, corrections, exclusions and typos.
// Deterministic (seeded), so the file only changes when this script does.
// Run: npx tsx test/evals/generate-cases.ts

type Market = 'AE' | 'GB' | 'US' | 'IN';
type Persona = 'buyer' | 'investor' | 'tenant';
interface Exp { [k: string]: unknown }
interface Msg { from: 'lead' | 'agent'; text: string }

let seed = 20261123;
function rnd(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const chance = (p: number): boolean => rnd() < p;

interface AreaJ { name: string; aliases: string[] }
interface CityJ { name: string; country: string; aliases: string[]; areas: AreaJ[] }
const CITIES = (areasData as { cities: CityJ[] }).cities;
// short or everyday aliases that are only safe in capitals, kept out of generated text
const RISKY = new Set(['DM', 'BB', 'AD', 'DIP', 'Palm', 'Views', 'Downtown', 'Reem', 'Meadows', 'Springs', 'Greens', 'Marina', 'Ranches', 'Akoya', 'NQ']);

const CURRENCY: Record<Market, string> = { AE: 'AED', GB: 'GBP', US: 'USD', IN: 'INR' };
const NOWS = ['2026-11-23', '2026-03-10', '2027-06-15', '2026-08-01'];
const PHONES: Record<Market, string[]> = {
  AE: ['+971501234567', '050 123 4567', '+971 52 987 6543'],
  GB: ['+447911123456', '07911 123456', '+44 7400 123456'],
  US: ['+14155552671', '(415) 555-2671', '+1 212 555 0198'],
  IN: ['+919876543210', '98765 43210', '+91 99876 54321'],
};
const NAMES = ['Omar', 'Sara', 'James', 'Priya', 'Fatima', 'Tom', 'Aisha', 'Rahul', 'Emily', 'Carlos', 'Mei', 'Hassan'];

function cityFor(market: Market): CityJ {
  const cs = CITIES.filter((c) => c.country === market);
  // Dubai carries most of the AE stock
  if (market === 'AE' && chance(0.7)) return cs.find((c) => c.name === 'Dubai')!;
  return pick(cs);
}

function areaMention(a: AreaJ, typo: boolean): string {
  const safe = a.aliases.filter((x) => !RISKY.has(x));
  let s = chance(0.35) && safe.length ? pick(safe) : a.name;
  const lowerOk = s !== 'The Views';
  if (typo) {
    const words = s.split(' ');
    const i = words.findIndex((w) => w.length >= 7);
    if (i >= 0) {
      const w = words[i]!;
      const p = 2 + Math.floor(rnd() * (w.length - 3));
      words[i] = chance(0.5) ? w.slice(0, p) + w.slice(p + 1) : w.slice(0, p) + (w[p] === 'e' ? 'a' : 'e') + w.slice(p + 1);
      s = words.join(' ');
    }
  }
  return lowerOk && chance(0.3) ? s.toLowerCase() : s;
}

// ------------------------------------------------------------------ budgets

interface BudgetGen { text: string; min: number | null; max: number | null; currency: string; period: 'total' | 'year' | 'month' }

function fmtM(v: number): string { return String(+(v / 1e6).toFixed(2)); }
function fmtK(v: number): string { return String(Math.round(v / 1e3)); }
function commas(v: number): string { return v.toLocaleString('en-US'); }

function saleBudget(market: Market): BudgetGen {
  const cur = CURRENCY[market];
  if (market === 'IN') {
    const crore = chance(0.5);
    const v = crore ? pick([1, 1.5, 2, 2.5, 3, 4.5]) * 1e7 : pick([45, 60, 75, 80, 95]) * 1e5;
    const word = crore ? `${v / 1e7} ${pick(['crore', 'cr', 'crores'])}` : `${v / 1e5} ${pick(['lakh', 'lakhs', 'L', 'lac'])}`;
    const form = pick(['max', 'plain', 'around', 'min', 'sym']);
    if (form === 'min') return { text: `${pick(['at least', 'minimum', 'above'])} ${word}`, min: v, max: null, currency: cur, period: 'total' };
    if (form === 'around') return { text: `${pick(['around', 'about', 'approx'])} ${word}`, min: null, max: v, currency: cur, period: 'total' };
    if (form === 'sym') return { text: `${pick(['₹', 'Rs ', 'INR '])}${word}`, min: null, max: v, currency: cur, period: 'total' };
    return { text: `${pick(['budget', 'up to', 'max', 'under'])} ${word}`, min: null, max: v, currency: cur, period: 'total' };
  }
  const base = market === 'AE' ? pick([650_000, 900_000, 1_200_000, 1_500_000, 2_500_000, 3_200_000, 5_000_000, 7_500_000])
    : pick([350_000, 450_000, 600_000, 750_000, 900_000, 1_200_000, 2_000_000]);
  const sym = market === 'GB' ? '£' : market === 'US' ? '$' : '';
  const wordCur = market === 'AE' ? pick(['AED', 'dirhams', 'Dhs', 'AED']) : market === 'GB' ? pick(['GBP', 'pounds', 'quid']) : pick(['USD', 'dollars']);
  const asNum = (v: number): string => {
    const f = pick(['M', 'm', 'mn', 'million', 'k', 'commas', 'mil']);
    if (v < 1e6 || f === 'k') return `${fmtK(v)}${pick(['k', 'K', ' thousand'])}`;
    if (f === 'commas') return commas(v);
    return `${fmtM(v)}${f === 'million' || f === 'mil' ? ` ${f}` : f}`;
  };
  const withCur = (s: string): { s: string; stated: boolean } => {
    const r = rnd();
    if (r < 0.25 && sym) return { s: `${sym}${s}`, stated: true };
    if (r < 0.45) return { s: `${s} ${wordCur}`, stated: true };
    if (r < 0.55 && market === 'AE') return { s: `${pick(['AED', 'Dhs', 'Dh'])} ${s}`, stated: true };
    return { s, stated: false };
  };
  const form = pick(['max', 'max', 'range', 'between', 'min', 'plus', 'around', 'bare', 'usd']);
  if (form === 'usd' && market === 'AE') {
    const v = pick([300_000, 500_000, 800_000]);
    return { text: `${pick(['around', 'up to', 'budget'])} ${pick([`$${fmtK(v)}k`, `${fmtK(v)}k USD`, `${fmtK(v)}k dollars`])}`, min: null, max: v, currency: 'USD', period: 'total' };
  }
  if (form === 'range' || form === 'between') {
    const lo = base;
    const hi = Math.round(base * pick([1.25, 1.5, 2]) / 50_000) * 50_000;
    const useM = lo >= 1e6 && hi >= 1e6;
    let text: string;
    if (form === 'range') {
      text = useM ? `${fmtM(lo)}${pick(['-', ' - ', ' to '])}${fmtM(hi)}${pick(['M', 'm', ' million'])}` : `${fmtK(lo)}k${pick(['-', ' to '])}${fmtK(hi)}k`;
      if (chance(0.3) && sym) text = useM ? `${sym}${fmtM(lo)}M-${sym}${fmtM(hi)}M` : `${sym}${fmtK(lo)}k-${sym}${fmtK(hi)}k`;
    } else text = `between ${asNum(lo)} and ${asNum(hi)}`;
    const c = withCur(text);
    return { text: `${pick(['budget', 'budget is', 'looking at', ''])} ${c.s}`.trim(), min: lo, max: hi, currency: cur, period: 'total' };
  }
  const c = withCur(asNum(base));
  if (form === 'min') return { text: `${pick(['at least', 'from', 'minimum', 'over', 'above'])} ${c.s}`, min: base, max: null, currency: cur, period: 'total' };
  if (form === 'plus') return { text: `budget ${c.s}+`, min: base, max: null, currency: cur, period: 'total' };
  if (form === 'around') return { text: `${pick(['around', 'about', 'roughly', 'approx', '~'])} ${c.s}`, min: null, max: base, currency: cur, period: 'total' };
  if (form === 'bare') return { text: `${c.s}`, min: null, max: base, currency: cur, period: 'total' };
  return { text: pick([`${pick(['up to', 'max', 'under', 'below', 'no more than', 'budget'])} ${c.s}`, `${c.s} max`]), min: null, max: base, currency: cur, period: 'total' };
}

function rentBudget(market: Market): BudgetGen {
  const cur = CURRENCY[market];
  if (market === 'AE') {
    const v = pick([45_000, 60_000, 75_000, 90_000, 110_000, 150_000, 220_000]);
    const monthly = chance(0.25);
    if (monthly) {
      const m = Math.round(v / 12 / 500) * 500;
      return { text: `${pick(['', 'around ', 'max '])}${pick([`AED ${commas(m)}`, `${commas(m)} AED`, `${m}`])} ${pick(['a month', 'per month', 'monthly'])}`, min: null, max: m, currency: cur, period: 'month' };
    }
    const stated = chance(0.6);
    const num = pick([`${fmtK(v)}k`, commas(v), `AED ${fmtK(v)}k`, `${fmtK(v)}K dirhams`]);
    return { text: `${pick(['budget', 'up to', 'around', 'max'])} ${num}${stated ? ` ${pick(['a year', 'per year', 'yearly', 'per annum', 'annually', 'p.a.'])}` : ''}`, min: null, max: v, currency: cur, period: 'year' };
  }
  if (market === 'IN') {
    const v = pick([25_000, 40_000, 55_000, 80_000]);
    return { text: `${pick(['budget', 'up to', 'around'])} ${pick([`${fmtK(v)}k`, commas(v), `₹${commas(v)}`, `Rs ${commas(v)}`])}${chance(0.5) ? ` ${pick(['per month', 'monthly', 'a month'])}` : ''}`, min: null, max: v, currency: cur, period: 'month' };
  }
  const v = pick([1_800, 2_200, 2_800, 3_500, 4_000, 5_500]);
  const sym = market === 'GB' ? '£' : '$';
  const yearly = chance(0.15);
  if (yearly) return { text: `${pick(['up to', 'around'])} ${sym}${commas(v * 12)} a year`, min: null, max: v * 12, currency: cur, period: 'year' };
  return {
    text: `${pick(['max', 'up to', 'budget', 'around', ''])} ${pick([`${sym}${commas(v)}`, `${commas(v)}`, `${+(v / 1000).toFixed(1)}k`])}${chance(0.6) ? ` ${pick(market === 'GB' ? ['pcm', 'per month', 'a month', 'p/m'] : ['/mo', 'a month', 'per month', 'monthly'])}` : ''}`.trim(),
    min: null, max: v, currency: cur, period: 'month',
  };
}

// ------------------------------------------------------------------ timeline

function monthsBetween(now: string, y: number, m: number): number {
  const d = new Date(now);
  return y * 12 + m - (d.getUTCFullYear() * 12 + d.getUTCMonth());
}
function bucket(m: number): string { return m <= 3 ? '0-3m' : m <= 6 ? '3-6m' : m <= 12 ? '6-12m' : '12m+'; }
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function timelineGen(now: string, persona: Persona): { text: string; value: string | null } {
  const verb = persona === 'tenant' ? pick(['move', 'move in']) : pick(['buy', 'move', 'close', 'purchase']);
  const r = rnd();
  if (r < 0.12) return { text: pick(['asap', 'ASAP', 'immediately', 'as soon as possible', 'urgently']), value: '0-3m' };
  if (r < 0.2) return { text: pick([`want to ${verb} next month`, `${verb} this month`, `in a few weeks`, `within 2 weeks`]), value: '0-3m' };
  if (r < 0.55) {
    const n = pick([2, 3, 4, 5, 6, 8, 9, 12, 18, 24]);
    const unit = n === 12 && chance(0.5) ? 'a year' : n === 24 && chance(0.5) ? '2 years' : n === 18 ? '18 months' : `${n} months`;
    const pre = pick(['within', 'in', 'in about', 'timeline', `hoping to ${verb} in`, `planning to ${verb} within`]);
    return { text: `${pre} ${unit}`, value: bucket(n) };
  }
  if (r < 0.75) {
    const d = new Date(now);
    const target = (d.getUTCMonth() + 1 + Math.floor(rnd() * 11)) % 12;
    let diff = target - d.getUTCMonth();
    if (diff < 0) diff += 12;
    return { text: `${pick([`${verb} in`, `by end of`, `moving in`, `${verb} by`, 'around'])} ${MONTH_NAMES[target]}`, value: bucket(diff) };
  }
  if (r < 0.85) {
    const d = new Date(now);
    const diff = monthsBetween(now, d.getUTCFullYear() + 1, 11);
    return { text: pick(['by the end of next year', 'end of next year']), value: bucket(diff) };
  }
  return { text: pick(['just browsing for now', 'not sure yet', 'no idea on timing', 'not sure about timing']), value: null };
}

// ------------------------------------------------------------------ other fields

function personaPhrase(p: Persona): string {
  if (p === 'tenant') return pick(['looking to rent', 'want to rent', 'need a rental', 'looking to lease', 'for rent', 'rent']);
  if (p === 'investor') return pick(['looking for an investment', 'buying for investment', 'want good ROI', 'for rental yield', 'investor, want to buy', 'building my portfolio, want']);
  return pick(['looking to buy', 'want to buy', 'buying my first home,', 'want to purchase', 'interested in buying']);
}

function typeGen(market: Market, persona: Persona): { text: string; value: string | null; beds?: [number | null, number | null] } {
  const r = rnd();
  if (r < 0.35) return { text: pick(['apartment', 'flat', 'apartment', 'condo']), value: 'apartment' };
  if (r < 0.5) return { text: pick(['villa', 'villa']), value: 'villa' };
  if (r < 0.6) return { text: pick(['townhouse', 'town house']), value: 'townhouse' };
  if (r < 0.66) return { text: 'penthouse', value: 'penthouse' };
  if (r < 0.7) return { text: 'duplex', value: 'duplex' };
  if (r < 0.78 && persona !== 'investor') return { text: 'house', value: market === 'AE' ? 'villa' : null };
  if (r < 0.88) return { text: 'studio', value: 'apartment', beds: [0, 0] };
  return { text: '', value: null };
}

function bedsGen(): { text: string; min: number | null; max: number | null } {
  const n = pick([1, 2, 3, 4, 5]);
  const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six'];
  const r = rnd();
  if (r < 0.45) return { text: pick([`${n} bed`, `${n} bedroom`, `${n} bedrooms`, `${n}-bed`, `${words[n]} bedroom`, `${words[n]} bedrooms`]), min: n, max: n };
  if (r < 0.6) return { text: pick([`${n}-${n + 1} beds`, `${n} or ${n + 1} bedrooms`, `${n} to ${n + 1} bedrooms`]), min: n, max: n + 1 };
  if (r < 0.72) return { text: pick([`${n}+ beds`, `at least ${n} bedrooms`, `${n} bedrooms or more`, `minimum ${n} bedrooms`]), min: n, max: null };
  if (r < 0.8) return { text: `${n} bed + maid's room`, min: n, max: n };
  return { text: '', min: null, max: null };
}

function financeGen(persona: Persona): { text: string; value: string | null } {
  if (persona === 'tenant') return { text: '', value: null };
  const r = rnd();
  if (r < 0.25) return { text: pick(['cash buyer', 'paying cash', 'full cash', 'can pay cash', 'all cash']), value: 'cash' };
  if (r < 0.45) return { text: pick(['pre-approved', 'mortgage pre-approved', 'I have approval in principle', 'AIP done', 'mortgage approved', 'preapproved']), value: 'preapproved' };
  if (r < 0.65) return { text: pick(['need a mortgage', 'will finance', 'looking for a loan', 'will need a mortgage', 'with a home loan']), value: 'mortgage' };
  return { text: '', value: null };
}

const FILLERS_START = ['Hi,', 'Hello,', 'Hey there!', 'Good morning,', '', '', 'Hi team,', 'Salam,'];
const FILLERS_END = ['', '', 'Thanks', 'thank you!', 'pls share options', 'what do you have?', 'Cheers'];

// ------------------------------------------------------------------ case builders

const cases: Array<Record<string, unknown>> = [];
let n = 0;
function push(market: Market, now: string, channel: string, contact: Record<string, string | null>, messages: Msg[], expected: Exp): void {
  n++;
  cases.push({ id: `o${String(n).padStart(3, '0')}`, market, now, channel, contact, messages, expected });
}

function contactFor(market: Market): { contact: Record<string, string | null>; valid: boolean } {
  const name = pick(NAMES);
  const r = rnd();
  if (r < 0.75) return { contact: { name, phone: pick(PHONES[market]), email: null }, valid: true };
  if (r < 0.85) return { contact: { name, phone: null, email: `${name.toLowerCase()}@example.com` }, valid: true };
  return { contact: { name, phone: pick(['12345', '+9715012', '000']), email: pick([null, `${name.toLowerCase()}@`, 'not-an-email']) }, valid: false };
}

function single(market: Market): void {
  const now = pick(NOWS);
  const persona: Persona = pick(['buyer', 'buyer', 'investor', 'tenant', 'tenant']);
  const city = cityFor(market);
  const areas = [...city.areas].sort(() => rnd() - 0.5).slice(0, pick([1, 1, 2]));
  const typo = chance(0.12);
  const type = typeGen(market, persona);
  const beds = type.beds ? { text: '', min: type.beds[0], max: type.beds[1] } : bedsGen();
  const budget = persona === 'tenant' ? rentBudget(market) : saleBudget(market);
  const tl = timelineGen(now, persona);
  const fin = financeGen(persona);
  const { contact, valid } = contactFor(market);
  const exclude = chance(0.12) ? city.areas.find((a) => !areas.includes(a)) : undefined;
  const areaText = areas.map((a, i) => areaMention(a, typo && i === 0)).join(pick([' or ', ', ', ' / ', ' and ']));
  const where = exclude ? `anywhere except ${exclude.name}, maybe ${areaText}` : `in ${areaText}`;
  const what = [beds.text, type.text].filter(Boolean).join(' ') || 'place';
  const parts = [
    pick(FILLERS_START),
    `${personaPhrase(persona)} ${pick(['a', 'a', 'my'])} ${what} ${where}`.replace(/\s+/g, ' '),
    budget.text,
    tl.text,
    fin.text,
    pick(FILLERS_END),
  ].filter(Boolean);
  const order = chance(0.3) ? [parts[0]!, parts[1]!, parts[3]!, parts[2]!, ...parts.slice(4)] : parts;
  const text = order.join(pick([', ', '. ', ', ', ' - '])).replace(/,\s*,/g, ',').replace(/\.\s*,/g, '.');
  const exp: Exp = {
    persona, city: city.name, areas: areas.map((a) => a.name), propertyType: type.value,
    bedsMin: beds.min, bedsMax: beds.max, budgetMin: budget.min, budgetMax: budget.max, currency: budget.currency, budgetPeriod: budget.period,
    timeline: tl.value, finance: fin.value, contactValid: valid,
  };
  if (type.value === null && /\d\s?(?:br|bhk)/i.test(text)) delete exp.propertyType;
  if (type.text === '' && beds.text === '') exp.propertyType = null;
  if (persona !== 'tenant' && type.value && areas.length && beds.min !== null && budget.max !== null && tl.value === '0-3m' && (fin.value === 'cash' || fin.value === 'preapproved') && valid) exp.qualified = true;
  push(market, now, 'whatsapp', contact, [{ from: 'lead', text }], exp);
}

function multiTurn(market: Market): void {
  const now = pick(NOWS);
  const persona: Persona = pick(['buyer', 'investor', 'tenant']);
  const city = cityFor(market);
  const area = pick(city.areas);
  const type = typeGen(market, persona);
  const budget = persona === 'tenant' ? rentBudget(market) : saleBudget(market);
  const tl = timelineGen(now, persona);
  const { contact, valid } = contactFor(market);
  const msgs: Msg[] = [];
  msgs.push({ from: 'lead', text: `${pick(['Hi', 'Hello', 'Hey'])}, ${personaPhrase(persona)} ${type.text ? `a ${type.text}` : 'something'}${chance(0.5) ? ` in ${city.name}` : ''}` });
  msgs.push({ from: 'agent', text: pick(['Great! Which area are you interested in?', 'Lovely. Any particular area or community you like?', 'Where would you ideally like to be?']) });
  msgs.push({ from: 'lead', text: pick([areaMention(area, chance(0.15)), `${areaMention(area, false)} ideally`, `maybe ${areaMention(area, false)}`]) });
  let bedsMin: number | null = type.beds ? 0 : null;
  let bedsMax: number | null = type.beds ? 0 : null;
  if (!type.beds) {
    msgs.push({ from: 'agent', text: pick(['How many bedrooms do you need?', 'How many bedrooms would suit you?']) });
    const b = pick([1, 2, 3, 4]);
    const form = pick(['bare', 'word', 'range', 'plus']);
    const words = ['zero', 'one', 'two', 'three', 'four', 'five'];
    if (form === 'bare') { msgs.push({ from: 'lead', text: `${b}` }); bedsMin = b; bedsMax = b; }
    if (form === 'word') { msgs.push({ from: 'lead', text: `${words[b]} please` }); bedsMin = b; bedsMax = b; }
    if (form === 'range') { msgs.push({ from: 'lead', text: `${b} or ${b + 1}` }); bedsMin = b; bedsMax = b + 1; }
    if (form === 'plus') { msgs.push({ from: 'lead', text: `${b}+` }); bedsMin = b; bedsMax = null; }
  }
  msgs.push({ from: 'agent', text: pick(['What budget do you have in mind?', 'Roughly what budget are you working with?', 'What is your budget?']) });
  msgs.push({ from: 'lead', text: budget.text });
  msgs.push({ from: 'agent', text: persona === 'tenant' ? 'When are you hoping to move?' : pick(['When are you planning to buy?', 'What kind of timeline are you on?']) });
  msgs.push({ from: 'lead', text: tl.text });
  let finance: string | null = null;
  if (persona !== 'tenant') {
    const q = pick(['approved', 'cash', 'mortgage', 'open']);
    if (q === 'approved') {
      msgs.push({ from: 'agent', text: 'Are you already pre-approved for a mortgage?' });
      const yes = chance(0.5);
      msgs.push({ from: 'lead', text: yes ? pick(['yes', 'Yes I am', 'yep']) : pick(['no', 'not yet', 'no, not yet']) });
      finance = yes ? 'preapproved' : 'mortgage';
    } else if (q === 'cash') {
      msgs.push({ from: 'agent', text: 'Will this be a cash purchase?' });
      const yes = chance(0.5);
      msgs.push({ from: 'lead', text: yes ? pick(['yes', 'yes, cash', 'correct']) : pick(['no', 'no, I will need financing']) });
      finance = yes ? 'cash' : 'mortgage';
    } else if (q === 'mortgage') {
      msgs.push({ from: 'agent', text: 'Will you need a mortgage?' });
      const yes = chance(0.5);
      msgs.push({ from: 'lead', text: yes ? pick(['yes', 'yeah']) : pick(['no', 'nope, cash']) });
      finance = yes ? 'mortgage' : 'cash';
    } else {
      msgs.push({ from: 'agent', text: 'Cash or mortgage?' });
      const f = financeGen('buyer');
      msgs.push({ from: 'lead', text: f.text || 'not sure yet' });
      finance = f.value;
    }
  }
  // a correction now and then
  const exp: Exp = {
    persona, city: city.name, areas: [area.name], propertyType: type.value, bedsMin, bedsMax,
    budgetMin: budget.min, budgetMax: budget.max, currency: budget.currency, budgetPeriod: budget.period, timeline: tl.value, finance, contactValid: valid,
  };
  if (chance(0.35)) {
    const kind = pick(['beds', 'budget', 'area']);
    msgs.push({ from: 'agent', text: 'Perfect, anything else I should know?' });
    if (kind === 'beds') {
      const b = pick([2, 3, 4]);
      msgs.push({ from: 'lead', text: pick([`actually make it ${b} bedrooms`, `sorry, I meant ${b} bed`, `change that to ${b} beds please`]) });
      exp.bedsMin = b; exp.bedsMax = b;
    } else if (kind === 'budget') {
      const nb = persona === 'tenant' ? rentBudget(market) : saleBudget(market);
      msgs.push({ from: 'lead', text: `actually ${nb.text}` });
      Object.assign(exp, { budgetMin: nb.min, budgetMax: nb.max, currency: nb.currency, budgetPeriod: nb.period });
    } else {
      const other = city.areas.find((a) => a.name !== area.name)!;
      msgs.push({ from: 'lead', text: pick([`actually ${other.name} instead`, `not ${area.name} anymore, ${other.name} instead`]) });
      exp.areas = [other.name];
    }
  }
  push(market, now, 'whatsapp', contact, msgs, exp);
}

function leadAds(market: Market): void {
  const now = pick(NOWS);
  const city = cityFor(market);
  const area = pick(city.areas);
  const persona: Persona = pick(['buyer', 'investor']);
  const budget = saleBudget(market);
  const b = pick([1, 2, 3, 4]);
  const tlChoice = pick([['0-3 months', '0-3m'], ['3-6 months', '3-6m'], ['6-12 months', '6-12m'], ['more than a year', null], ['immediately', '0-3m']] as const);
  const fin = pick([['cash', 'cash'], ['mortgage pre-approved', 'preapproved'], ['need mortgage', 'mortgage']] as const);
  const lang = pick(['en', 'en', 'es', 'ar']);
  const keys = lang === 'en' ? { budget: pick(['budget', 'your_budget', 'price_range']), area: pick(['preferred_area', 'location', 'which_area_are_you_interested_in']), beds: pick(['bedrooms', 'number_of_bedrooms']), tl: pick(['when_do_you_plan_to_buy', 'timeline', 'purchase_timeline']), fin: pick(['financing', 'payment_method']), purpose: 'purpose' }
    : lang === 'es' ? { budget: 'presupuesto', area: 'zona_preferida', beds: 'dormitorios', tl: 'cuando_planea_comprar', fin: 'financiación', purpose: 'propósito' }
      : { budget: 'الميزانية', area: 'المنطقة', beds: 'عدد_الغرف', tl: 'متى_تخطط_للشراء', fin: 'التمويل', purpose: 'الغرض' };
  const budgetValue = budget.min !== null && budget.max !== null ? `${commas(budget.min)} - ${commas(budget.max)}` : budget.text;
  const lines = [
    `${keys.budget}: ${budgetValue}`,
    `${keys.area}: ${area.name}`,
    `${keys.beds}: ${b}`,
    `${keys.tl}: ${tlChoice[0]}`,
    `${keys.fin}: ${fin[0]}`,
  ];
  if (persona === 'investor') lines.push(`${keys.purpose}: investment`);
  const exp: Exp = {
    persona, city: city.name, areas: [area.name], bedsMin: b, bedsMax: b, budgetMin: budget.min, budgetMax: budget.max,
    currency: budget.currency, budgetPeriod: 'total', timeline: tlChoice[1] === null ? '12m+' : tlChoice[1], finance: fin[1],
  };
  push(market, now, 'leadads', contactFor(market).contact, [{ from: 'lead', text: lines.join('\n') }], exp);
}

function lowInfo(market: Market): void {
  const now = pick(NOWS);
  const text = pick(['hi', 'Hello', 'just browsing, what do you have?', 'Hi, saw your ad', 'info pls', 'Is this still available?', 'can you send me details', 'hey 👋', 'مرحبا', 'just looking around, not sure yet']);
  const exp: Exp = { persona: null, city: null, areas: [], propertyType: null, bedsMin: null, budgetMax: null, timeline: null, finance: null, qualified: false };
  push(market, now, pick(['whatsapp', 'web']), { name: pick(NAMES), phone: null, email: chance(0.5) ? 'someone@' : null }, [{ from: 'lead', text }], { ...exp, contactValid: false });
}

/** Hand-written cases for rules the templates do not reach. */
function handWritten(): void {
  const c = (market: Market, text: string | Msg[], expected: Exp, now = '2026-11-23'): void =>
    push(market, now, 'whatsapp', { name: 'Lee', phone: PHONES[market][0]!, email: null }, typeof text === 'string' ? [{ from: 'lead', text }] : text, expected);
  c('GB', 'Looking to buy a 2 bed flat in Chelsea, up to £1.5M', { city: 'London', areas: ['Chelsea'], propertyType: 'apartment', budgetMax: 1500000, currency: 'GBP' });
  c('US', 'Looking to buy a 2 bed condo in Chelsea, up to $1.5M', { city: 'New York', areas: ['Chelsea'], propertyType: 'apartment', budgetMax: 1500000, currency: 'USD' });
  c('AE', 'Want a 3 bed house in Mirdif, budget 3M', { propertyType: 'villa', areas: ['Mirdif'], bedsMin: 3 });
  c('GB', 'Want a 3 bed house in Wimbledon, budget 1.2M', { propertyType: null, areas: ['Wimbledon'], budgetMax: 1200000 });
  c('AE', 'studio in Dubai Marena for rent, 55k', { areas: ['Dubai Marina'], bedsMin: 0, bedsMax: 0, propertyType: 'apartment', persona: 'tenant', budgetMax: 55000, budgetPeriod: 'year' });
  c('AE', '2br in the Marina, not JBR, up to 2M. call me on +971 50 123 4567', { areas: ['Dubai Marina'], bedsMin: 2, budgetMax: 2000000 });
  c('AE', 'anywhere but JVC or JVT, maybe Arjan', { areas: ['Arjan'], city: 'Dubai' });
  c('AE', 'Investor here, off-plan to resell in Dubai Creek Harbour, 2M', { persona: 'investor', areas: ['Dubai Creek Harbour'], budgetMax: 2000000 });
  c('AE', 'buying to flip, JVC 1 bed under 900k', { persona: 'investor', budgetMax: 900000 });
  c('US', 'we are renting now but want to buy a 3 bed in Brooklyn, $1.2M max, in 2027', { persona: 'buyer', budgetMax: 1200000, timeline: '6-12m' });
  c('IN', '2BHK in Whitefield on rent, 35k', { persona: 'tenant', propertyType: 'apartment', bedsMin: 2, budgetMax: 35000, currency: 'INR', budgetPeriod: 'month', city: 'Bengaluru' });
  c('IN', 'flat in Bandra, 1.5 crore, need home loan', { city: 'Mumbai', budgetMax: 15000000, finance: 'mortgage', currency: 'INR' });
  c('IN', 'Andheri 1BHK, 80L, ready to move in 3 months', { budgetMax: 8000000, timeline: '0-3m', bedsMin: 1 });
  c('GB', 'Flat in Shoreditch to rent, £2,200 pcm, move in exactly 6 months', { budgetMax: 2200, budgetPeriod: 'month', timeline: '3-6m' });
  c('GB', 'Looking to buy in Islington in 12 months, around 800k', { timeline: '6-12m', budgetMax: 800000 });
  c('AE', 'Looking to buy in JLT in 13 months', { timeline: '12m+' });
  c('AE', 'budget AED 1,200,000, 2 bed, Business Bay, my number is 0501234567', { budgetMax: 1200000, bedsMin: 2 });
  c('AE', 'I have 3 kids and 2 cars, need a 4 bedroom villa in Arabian Ranches 2 by 2027, 6M', { areas: ['Arabian Ranches 2'], bedsMin: 4, budgetMax: 6000000 });
  c('US', 'I need 2 months to sell my place, then want a 2 bed in Miami under 800k', { bedsMin: 2, budgetMax: 800000, city: 'Miami' });
  c('AE', 'Villa in Damac Hills 2, 4 bed, 2.2M, mortgage approved', { areas: ['Damac Hills 2'], finance: 'preapproved', budgetMax: 2200000 });
  c('AE', [{ from: 'lead', text: 'Hi' }, { from: 'agent', text: 'Are you looking to buy, rent, or invest?' }, { from: 'lead', text: 'rent' }, { from: 'agent', text: 'What budget do you have in mind?' }, { from: 'lead', text: '90000' }],
    { persona: 'tenant', budgetMax: 90000, budgetPeriod: 'year', currency: 'AED' });
  c('GB', [{ from: 'lead', text: 'Hi, want to rent in Camden' }, { from: 'agent', text: 'What budget do you have in mind?' }, { from: 'lead', text: '2500' }],
    { persona: 'tenant', budgetMax: 2500, budgetPeriod: 'month', areas: ['Camden'] });
  c('AE', [{ from: 'lead', text: 'buy 2 bed in JVC' }, { from: 'agent', text: 'When are you planning to buy?' }, { from: 'lead', text: 'next month' }], { timeline: '0-3m' });
  c('AE', [{ from: 'lead', text: 'buy 2 bed in JVC' }, { from: 'agent', text: 'When are you planning to buy?' }, { from: 'lead', text: 'not sure' }], { timeline: null });
  c('AE', [{ from: 'lead', text: 'buy 2 bed in JVC, within 3 months' }, { from: 'agent', text: 'Anything else?' }, { from: 'lead', text: 'actually more like 9 months' }], { timeline: '6-12m' });
  c('US', 'Need a place in Miami in March, 3 bed, $950k', { timeline: '3-6m', budgetMax: 950000 }, '2026-11-23');
  c('US', 'Need a place in Miami in March, 3 bed, $950k', { timeline: '0-3m' }, '2026-01-05');
  c('AE', 'penthouse on Palm Jumeirah, 25M+', { propertyType: 'penthouse', budgetMin: 25000000, budgetMax: null, areas: ['Palm Jumeirah'] });
  c('AE', 'duplex in Al Barsha 3 or 4 beds', { propertyType: 'duplex', bedsMin: 3, bedsMax: 4 });
  c('AE', 'office space in Business Bay to rent, 200k a year', { propertyType: 'office', persona: 'tenant', budgetPeriod: 'year' });
  c('AE', 'plot of land in Dubai South, 5 million', { propertyType: 'land', budgetMax: 5000000 });
  c('AE', 'Want townhouse in Town Square, 3 bedrooms + maid, 2.1m AED, pay cash', { bedsMin: 3, bedsMax: 3, finance: 'cash', budgetMax: 2100000 });
  c('GB', 'First-time buyer, flat in Greenwich, 450k, mortgage in principle', { finance: 'preapproved', persona: 'buyer' });
  c('GB', 'Buy-to-let in Manchester, Ancoats, 250k', { persona: 'investor', city: 'Manchester', areas: ['Ancoats'] });
  c('US', 'rental in Williamsburg, $3,800/mo, 1 bd', { persona: 'tenant', budgetMax: 3800, budgetPeriod: 'month', bedsMin: 1 });
  c('AE', 'Yas island villa 4 bed, 5.5M, end of next year', { city: 'Abu Dhabi', areas: ['Yas Island'], timeline: '12m+' });
  c('AE', 'Saadiyat, between AED 3M and 4M', { budgetMin: 3000000, budgetMax: 4000000, city: 'Abu Dhabi' });
  c('AE', 'rent in Aljada Sharjah 40k', { city: 'Sharjah', areas: ['Aljada'], budgetMax: 40000, budgetPeriod: 'year' });
  c('AE', 'Al Marjan Island, investment, 1.1M', { city: 'Ras Al Khaimah', persona: 'investor' });
  c('AE', 'Hi, Chelsea is my name, looking for a 1 bed in JLT', { areas: ['Jumeirah Lake Towers'] });
  c('AE', 'I am a marine engineer, want to rent a 1 bed in Dubai Marina', { areas: ['Dubai Marina'], persona: 'tenant' });
  c('AE', 'The views from the balcony must be great, 2 bed in Downtown', { areas: ['Downtown Dubai'] });
  c('US', '2 bed in UES or UWS, $1.1-1.4M', { areas: ['Upper East Side', 'Upper West Side'], budgetMin: 1100000, budgetMax: 1400000 });
  c('IN', 'HSR Layout 3bhk for investment, 2.5 cr', { areas: ['HSR Layout'], budgetMax: 25000000, persona: 'investor' });
  c('AE', 'Need 2 bed in Bussiness Bay under 2.5m', { areas: ['Business Bay'], budgetMax: 2500000 });
  c('AE', 'looking at Jumeirah Lakes Towers or Jumeira Village Triangel', { areas: ['Jumeirah Lake Towers', 'Jumeirah Village Triangle'] });
  c('GB', 'Kensington 2 bed around £1.8m, buying in a couple of years', { timeline: '12m+', budgetMax: 1800000 });
  c('AE', 'Looking to buy, Emaar Beachfront, 2 bed, 3.5M, in 2 weeks, cash', { timeline: '0-3m', finance: 'cash', qualified: true });
}

function main(): void {
  const markets: Market[] = ['AE', 'AE', 'GB', 'US', 'IN'];
  for (let i = 0; i < 110; i++) single(markets[i % markets.length]!);
  for (let i = 0; i < 60; i++) multiTurn(markets[i % markets.length]!);
  for (let i = 0; i < 25; i++) leadAds(markets[i % markets.length]!);
  for (let i = 0; i < 12; i++) lowInfo(markets[i % markets.length]!);
  handWritten();
  const out = fileURLToPath(new URL('./cases.own.jsonl', import.meta.url));
  writeFileSync(out, cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
  console.log(`${cases.length} cases written to ${out}`);
}

main();
