import OpenAI from 'openai';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { Logger } from 'pino';
import { z } from 'zod';
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
import { MARKET_CURRENCY, MARKET_RENT_PERIOD, normalizeBudget } from '../../domain/budget.parser';
import { contactValidity } from '../../domain/contact.validator';
import { cityOfArea, geoMatch } from '../../domain/geo.matcher';
import { scoreLead } from '../../domain/lead.scorer';
import { conversationLanguage, detectLanguage, type LeadLanguage } from '../../domain/language.detector';
import { replyLanguageRule } from '../../domain/reply-copy';
import { extractProfileDetailed } from '../../domain/profile.extractor';
import { askedFeatures, whyItFits, type AskedFeatures } from '../../domain/unit-features.matcher';
import {
  BudgetPeriod,
  Finance,
  Persona,
  PropertyType,
  Timeline,
  type LeadProfile,
  type Market,
} from '../../domain/profile.schema';
import { createOfflineAgent } from '../../domain/agent/offline.agent';

// The OpenAI agent: chat completions with four tools and a zod-validated final answer. The
// model writes the message; the domain code has the last word on every fact. Its profile is
// merged with the deterministic reading of the conversation (the SPEC rules), the score comes
// from scoreLead, and opt-out/handoff are also read by the offline agent's detectors, so a
// model that misreads "STOP" cannot keep messaging someone. Any failure falls back to the
// offline agent: a lead always gets an answer.

// ---------------------------------------------------------------- the stable prompt prefix

/**
 * Identical on every request (no dates, names or ids), so with the tool definitions it forms
 * a prefix the provider can cache; everything per lead or per turn comes after it.
 */
export const OPENAI_SYSTEM_PROMPT = `You are Leadline, the first-response assistant of a real-estate brokerage. You chat with property leads on WhatsApp and web chat, qualify them, show them suitable units from our stock and hand them to a human property consultant when they are ready.

# Goal each turn
Read the whole conversation, work out what the lead wants, use the tools when they help, then return ONE JSON answer (the LeadQualification schema) with the next message to send and the lead's profile.

# Tone
- Warm, concise, WhatsApp-friendly: short sentences, plain words, at most one emoji, no headings, no legalese.
- Ask ONE question at a time: the most useful missing fact, in this order: buy/rent/invest, area, property type and bedrooms, budget, timeline, cash or mortgage (not for tenants).
- Reply in the lead's language, given with its writing rules in the lead context (English, Arabic, Hindi or Hinglish), even when earlier messages were in another language. Use their first name at most once, never a surname.
- Acknowledge only what is new in their last message; do not repeat the whole brief back every time.
- Photos, voice notes, stickers and documents appear as markers such as "[photo]" or "[voice note]": you cannot open them; say so kindly and ask for text.

# Listings
- NEVER invent listings, prices, availability, developers or amenities. Mention only units returned by inventory_search in this turn, with the facts it returned, and put their ids in unitIds.
- Show at most 3 units, one line each (beds, type, area, price, one feature). When a unit has a non-empty why, add "Why: " and those features to its line. If nothing fits, say so honestly and offer to keep looking.

# Tools
- inventory_search: search our stock. Call it once you know at least a city or an area. Pass canonical values when you know them; the system canonicalises place names and currencies for you. Put the features the lead asked for in their own words in features ("sea view, near the metro, a big balcony"); each unit comes back with why: the asked features it has.
- normalize_budget: turns a budget phrase ("1.2M", "80 lakh", "120k a year") into numbers, currency and period.
- geo_match: turns place names, nicknames and misspellings into canonical city and area names.
- lead_score: the official qualification score for a profile (you never score leads yourself).
- You have at most ${MAX_TOOL_CALLS} tool calls per turn. Do not call a tool whose answer you already have.

# Profile rules (normalised values)
- persona: buyer, investor (buying for ROI, rental yield, flipping, resale) or tenant (rent, lease); null if unknown.
- city and areas: canonical names (geo_match), areas in the order first mentioned, without areas the lead rules out.
- propertyType: apartment (flat, condo, studio, 1BHK), villa, townhouse, penthouse, duplex, office, retail, land. "House" alone is a villa in the UAE, otherwise null.
- bedsMin/bedsMax: "2 bed" is 2 and 2; "2-3 beds" is 2 and 3; "3+" is 3 and null; studio is 0 and 0; a maid's room does not count.
- budgetMin/budgetMax: whole numbers in the currency's main unit (1.2M is 1200000, 800k is 800000, 1.5 crore is 15000000, 80 lakh is 8000000). "Up to", "around" or a bare figure set budgetMax only; "at least", "from", "X+" set budgetMin only; a range sets both.
- currency: ISO code (AED, USD, GBP, EUR, INR); the market's currency when none is stated; null without a budget.
- budgetPeriod: total for purchases; year or month for rent (as stated; if not stated: year in the UAE, month elsewhere); null without a budget.
- timeline: months from today until they want to buy or move: 0-3m, 3-6m, 6-12m, 12m+ (exactly 3 months is 0-3m, 6 is 3-6m, 12 is 6-12m); null when unsure or unstated.
- finance: cash, preapproved (pre-approved, AIP, mortgage approved) or mortgage (needs a loan); null if unstated.
- A later statement overrides an earlier one; a bare answer ("3", "next month") answers the question asked just before it.
- Never guess: leave a field null when the lead has not said it. The system's parser reading is given each turn; treat its values as correct.

# Intents
- opt_out: the lead asks to stop messages or unsubscribe ("STOP", "don't message me"). Reply with one short confirmation and nothing else.
- not_interested: they are no longer looking or already found a place. Close politely, no more questions.
- asked_for_human: they ask for a person, an agent or a call. Confirm a consultant will contact them shortly.
- handoff_qualified: they are ready for viewings (location, type, budget and timeline known, stock matches). Offer a call from a property consultant. The system decides from the official score whether the handoff happens.

# Output
- reply: the exact message to send (under 700 characters unless listing units).
- askedFor: the one field your reply asks about (persona, area, propertyType, beds, budget, timeline, finance) or null.
- unitIds: ids of the inventory_search units your reply mentions, else an empty array.`;

// ---------------------------------------------------------------- schemas (model boundary)

const Nullable = <T extends z.ZodType>(t: T) => t.nullable();

export const ModelProfile = z.object({
  persona: Nullable(Persona),
  city: Nullable(z.string()),
  areas: z.array(z.string()),
  propertyType: Nullable(PropertyType),
  bedsMin: Nullable(z.number()),
  bedsMax: Nullable(z.number()),
  budgetMin: Nullable(z.number()),
  budgetMax: Nullable(z.number()),
  currency: Nullable(z.string()),
  budgetPeriod: Nullable(BudgetPeriod),
  timeline: Nullable(Timeline),
  finance: Nullable(Finance),
});
export type ModelProfile = z.infer<typeof ModelProfile>;

export const ModelIntent = z.enum(['opt_out', 'not_interested', 'asked_for_human', 'handoff_qualified']);
export const AskField = z.enum(['persona', 'area', 'propertyType', 'beds', 'budget', 'timeline', 'finance']);

/** The model's final answer. No score: qualification is always computed by scoreLead. */
export const LeadQualification = z.object({
  reply: z.string(),
  profile: ModelProfile,
  intents: z.array(ModelIntent),
  askedFor: Nullable(AskField),
  unitIds: z.array(z.string()),
});
export type LeadQualification = z.infer<typeof LeadQualification>;

const InventorySearchArgs = z.object({
  listing: Nullable(z.enum(['sale', 'rent'])),
  city: Nullable(z.string()),
  areas: z.array(z.string()),
  propertyType: Nullable(PropertyType),
  bedsMin: Nullable(z.number()),
  bedsMax: Nullable(z.number()),
  budgetMin: Nullable(z.number()),
  budgetMax: Nullable(z.number()),
  currency: Nullable(z.string()),
  limit: Nullable(z.number()),
  /** The lead's own words about the home's features ("sea view, near the metro, a big balcony"), or null. */
  features: Nullable(z.string()),
});
type InventorySearchArgs = z.infer<typeof InventorySearchArgs>;
const TextArgs = z.object({ text: z.string() });
const ScoreArgs = z.object({ profile: ModelProfile });

const TOOL_SCHEMAS = {
  inventory_search: InventorySearchArgs,
  normalize_budget: TextArgs,
  geo_match: TextArgs,
  lead_score: ScoreArgs,
} as const;
type ToolName = keyof typeof TOOL_SCHEMAS;
const isToolName = (n: string): n is ToolName => Object.hasOwn(TOOL_SCHEMAS, n);

// Built once: the tool definitions are part of the cached prefix, so they never change per call.
const TOOL_DEFS: ChatCompletionTool[] = [
  zodFunction({
    name: 'inventory_search',
    parameters: InventorySearchArgs,
    description: 'Search the brokerage stock. Returns ranked units with id, price and key facts. Use null for unknown filters; limit defaults to 5 (max 10).',
  }),
  zodFunction({
    name: 'normalize_budget',
    parameters: TextArgs,
    description: "Parse a budget phrase from the lead's words into min/max numbers, ISO currency and period (total, year, month).",
  }),
  zodFunction({
    name: 'geo_match',
    parameters: TextArgs,
    description: 'Map place names, nicknames and misspellings in a text to canonical city and area names (and areas ruled out).',
  }),
  zodFunction({
    name: 'lead_score',
    parameters: ScoreArgs,
    description: 'The official lead score (0-100, qualified at 60) for a profile, measured against the stock found so far.',
  }),
].map((t) => JSON.parse(JSON.stringify(t)) as ChatCompletionTool);

const RESPONSE_FORMAT = JSON.parse(JSON.stringify(zodResponseFormat(LeadQualification, 'LeadQualification'))) as ChatCompletionCreateParamsNonStreaming['response_format'];

// ---------------------------------------------------------------- normalisation (domain code)

const KNOWN_CURRENCY = /^(?:AED|USD|GBP|EUR|INR)$/;

function canonicalCity(name: string | null, market: Market): string | null {
  if (!name?.trim()) return null;
  const g = geoMatch(name, market);
  return g.cities[0] ?? g.city;
}

function canonicalAreas(names: readonly string[], market: Market, city: string | null, excluded: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of names.slice(0, 10)) {
    if (typeof n !== 'string' || !n.trim()) continue;
    for (const a of geoMatch(n, market, city).areas) if (!out.includes(a) && !excluded.includes(a)) out.push(a);
  }
  return out;
}

const wholeOrNull = (n: number | null, min: number, max: number): number | null =>
  n === null || !Number.isFinite(n) || n < min || n > max ? null : Math.round(n);

/**
 * The profile the turn reports: the deterministic reading of the conversation wins wherever it
 * found a value (it implements the SPEC rules exactly); the model fills the gaps, passed
 * through the same canonicalisation (areas.json names, currency and period defaults).
 */
export function mergeProfile(det: LeadProfile, excluded: readonly string[], model: ModelProfile | null, market: Market, contactValid: boolean): LeadProfile {
  const p: LeadProfile = { ...det, areas: [...det.areas], contactValid };
  if (!model) return p;
  p.persona ??= model.persona;
  const modelCity = canonicalCity(model.city, market);
  if (p.areas.length === 0) p.areas = canonicalAreas(model.areas, market, p.city ?? modelCity, excluded);
  p.city ??= modelCity ?? (p.areas[0] ? cityOfArea(p.areas[0], market) : null);
  p.propertyType ??= model.propertyType;
  if (p.bedsMin === null && p.bedsMax === null) {
    let [lo, hi] = [wholeOrNull(model.bedsMin, 0, 20), wholeOrNull(model.bedsMax, 0, 20)];
    if (lo !== null && hi !== null && lo > hi) [lo, hi] = [hi, lo];
    p.bedsMin = lo;
    p.bedsMax = hi;
  }
  if (p.propertyType === null && p.bedsMin === 0 && p.bedsMax === 0) p.propertyType = 'apartment';
  if (p.budgetMin === null && p.budgetMax === null) {
    let [lo, hi] = [wholeOrNull(model.budgetMin, 1, 1e11), wholeOrNull(model.budgetMax, 1, 1e11)];
    if (lo !== null && hi !== null && lo > hi) [lo, hi] = [hi, lo];
    if (lo !== null || hi !== null) {
      const cur = model.currency?.trim().toUpperCase() ?? '';
      p.budgetMin = lo;
      p.budgetMax = hi;
      p.currency = KNOWN_CURRENCY.test(cur) ? cur : MARKET_CURRENCY[market];
      p.budgetPeriod = p.persona === 'tenant'
        ? (model.budgetPeriod && model.budgetPeriod !== 'total' ? model.budgetPeriod : MARKET_RENT_PERIOD[market])
        : p.persona ? 'total' : model.budgetPeriod ?? 'total';
    }
  }
  p.timeline ??= model.timeline;
  p.finance ??= model.finance;
  return p;
}

function listingOf(p: LeadProfile, fallback: 'sale' | 'rent' | null): 'sale' | 'rent' | null {
  if (p.persona === 'tenant') return 'rent';
  if (p.persona === 'buyer' || p.persona === 'investor') return 'sale';
  return fallback;
}

/** The model's search, canonicalised so SQL sees the names and currencies the stock uses. */
export function normaliseQuery(a: InventorySearchArgs, profile: LeadProfile, excluded: readonly string[], listing: 'sale' | 'rent' | null, market: Market): InventoryQuery {
  const askedCity = canonicalCity(a.city, market);
  const areas = canonicalAreas(a.areas, market, askedCity ?? profile.city, excluded);
  const city = askedCity ?? (areas[0] ? cityOfArea(areas[0], market) : null) ?? profile.city;
  let [bedsMin, bedsMax] = [wholeOrNull(a.bedsMin, 0, 20), wholeOrNull(a.bedsMax, 0, 20)];
  if (bedsMin !== null && bedsMax !== null && bedsMin > bedsMax) [bedsMin, bedsMax] = [bedsMax, bedsMin];
  let [budgetMin, budgetMax] = [wholeOrNull(a.budgetMin, 1, 1e11), wholeOrNull(a.budgetMax, 1, 1e11)];
  if (budgetMin !== null && budgetMax !== null && budgetMin > budgetMax) [budgetMin, budgetMax] = [budgetMax, budgetMin];
  const cur = a.currency?.trim().toUpperCase() ?? '';
  const hasBudget = budgetMin !== null || budgetMax !== null;
  return {
    listing: a.listing ?? listing,
    city,
    areas,
    propertyType: a.propertyType,
    bedsMin,
    bedsMax,
    budgetMin,
    budgetMax,
    currency: hasBudget ? (KNOWN_CURRENCY.test(cur) ? cur : profile.currency ?? MARKET_CURRENCY[market]) : null,
    limit: Math.min(10, Math.max(1, Math.round(a.limit ?? 5))),
    ...(a.features?.trim() && { text: a.features.trim().slice(0, 300) }),
  };
}

function profileQuery(p: LeadProfile, listing: 'sale' | 'rent' | null, features: string): InventoryQuery {
  return {
    listing, city: p.city, areas: p.areas, propertyType: p.propertyType, bedsMin: p.bedsMin, bedsMax: p.bedsMax,
    budgetMin: p.budgetMin, budgetMax: p.budgetMax, currency: p.currency, limit: 5,
    ...(features && { text: features }),
  };
}

const unitForModel = (m: UnitMatch, concepts: readonly string[]) => ({
  id: m.unit.id,
  title: m.unit.title,
  listing: m.unit.listing,
  city: m.unit.city,
  area: m.unit.area,
  propertyType: m.unit.propertyType,
  beds: m.unit.beds,
  baths: m.unit.baths,
  areaM2: m.unit.areaM2,
  price: m.unit.price,
  currency: m.unit.currency,
  rentPeriod: m.unit.rentPeriod ?? null,
  completion: m.unit.completion,
  features: m.unit.features.slice(0, 5),
  matchScore: m.score,
  /** The asked-for features this unit has: what the reply's "Why:" says. */
  why: whyItFits(m.unit, concepts),
});

// ---------------------------------------------------------------- the agent

export interface OpenAiAgentOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  logger: Logger;
  /** Answers the turn when the API fails; without it the failure propagates (the activity retries). */
  fallback?: Agent;
  /** Whole-turn budget: the agentTurn activity allows 60 s, and the fallback needs time too. */
  turnTimeoutMs?: number;
  /** SDK retries per request (429, 5xx, network); each retry eats into the turn budget. */
  maxRetries?: number;
}

class InvalidOutputError extends Error {
  override name = 'InvalidOutputError';
}

const MAX_ROUNDS = MAX_TOOL_CALLS + 2;
const MAX_HISTORY = 40;
const MAX_MESSAGE_CHARS = 2000;
const MAX_MEMORIES = 30;

function toChat(input: AgentTurnInput): ChatCompletionMessageParam[] {
  const msgs = (Array.isArray(input.messages) ? input.messages : []).filter((m) => m && typeof m.text === 'string').slice(-MAX_HISTORY);
  return msgs.map((m): ChatCompletionMessageParam => {
    const text = m.text.slice(0, MAX_MESSAGE_CHARS);
    if (m.from === 'lead') return { role: 'user', content: text };
    return { role: 'assistant', content: m.from === 'broker' ? `[a human consultant wrote] ${text}` : text };
  });
}

function leadContext(input: AgentTurnInput, contactValid: boolean, language: LeadLanguage): string {
  const first = input.contact?.name?.trim().split(/\s+/)[0] ?? null;
  const lines = [
    `Market: ${input.market} (default currency ${MARKET_CURRENCY[input.market]}).`,
    `Channel: ${input.channel}.`,
    replyLanguageRule(language),
    `Lead's first name: ${first ?? 'unknown'}.`,
    `Contact details valid: ${contactValid ? 'yes' : 'no'}.`,
  ];
  const form = input.formAnswers && typeof input.formAnswers === 'object'
    ? Object.entries(input.formAnswers).filter(([, v]) => typeof v === 'string').map(([k, v]) => `- ${k}: ${v.slice(0, 200)}`)
    : [];
  if (form.length) lines.push('Form answers the lead already gave:', ...form);
  // memories outlive the history window below (and continue-as-new): what the lead said long ago
  const memories = (Array.isArray(input.memories) ? input.memories : []).filter((m) => m && typeof m.text === 'string').slice(0, MAX_MEMORIES);
  if (memories.length) lines.push('What the lead told us earlier (use it; do not ask again):', ...memories.map((m) => `- ${m.text.slice(0, 200)}`));
  return lines.join('\n');
}

function recalledPreferences(input: AgentTurnInput): string[] {
  return (Array.isArray(input.memories) ? input.memories : []).filter((m) => m && m.kind === 'preference' && typeof m.text === 'string').map((m) => m.text);
}

function turnContext(now: string, det: LeadProfile): string {
  const known = Object.entries(det).filter(([k, v]) => k !== 'contactValid' && v !== null && !(Array.isArray(v) && v.length === 0));
  return [
    `Today: ${now.slice(0, 10)}.`,
    `Parser reading of the conversation so far (correct; keep these values): ${known.length ? JSON.stringify(Object.fromEntries(known)) : 'nothing yet'}.`,
    'Now use tools if needed, then give your LeadQualification JSON answer.',
  ].join('\n');
}

/**
 * A reply to an Arabic or Hindi lead must be in their script (a model drifts to English when the
 * history or the units are in English). English and Hinglish share Latin letters, so a model's
 * mix of the two is not judged here.
 */
function scriptProblem(reply: string, language: LeadLanguage): string | null {
  if (language !== 'ar' && language !== 'hi') return null;
  if (detectLanguage(reply)?.language === language) return null;
  return language === 'ar'
    ? 'the reply must be written in Arabic script (the lead writes Arabic)'
    : 'the reply must be written in Hindi in Devanagari script (the lead writes Hindi)';
}

function describeError(err: unknown): { status: number | undefined; message: string } {
  if (err instanceof OpenAI.APIError) return { status: err.status, message: err.message };
  return { status: undefined, message: err instanceof Error ? err.message : String(err) };
}

export function createOpenAiAgent(opts: OpenAiAgentOptions): Agent {
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    maxRetries: opts.maxRetries ?? 1,
    timeout: 25_000,
  });
  const log = opts.logger.child({ agent: 'openai', model: opts.model });
  const turnTimeoutMs = opts.turnTimeoutMs ?? 40_000;
  // The offline agent doubles as the deterministic detector of opt-out, "not interested" and
  // "a human please": those rules must hold whatever the model says.
  const detector = createOfflineAgent();
  const noStock: AgentTools = { inventorySearch: async () => [] };

  async function modelTurn(input: AgentTurnInput, tools: AgentTools, det: {
    profile: LeadProfile; excluded: string[]; listing: 'sale' | 'rent' | null; contactValid: boolean; intents: AgentIntent[]; language: LeadLanguage; features: AskedFeatures;
  }): Promise<AgentTurnResult> {
    const { market } = input;
    const deadline = Date.now() + turnTimeoutMs;
    const toolCalls: ToolCallRecord[] = [];
    const seen = new Map<string, UnitMatch>();
    const searches: Array<{ key: string; matches: UnitMatch[] }> = [];
    let lastMatches: UnitMatch[] = [];

    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: OPENAI_SYSTEM_PROMPT },
      { role: 'system', content: leadContext(input, det.contactValid, det.language) },
      ...toChat(input),
      { role: 'system', content: turnContext(input.now, det.profile) },
    ];

    const timed = async <T>(name: string, fn: () => T | Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> => {
      const t0 = performance.now();
      try {
        const value = await fn();
        toolCalls.push({ name, ok: true, ms: Math.round((performance.now() - t0) * 100) / 100 });
        return { ok: true, value };
      } catch (err) {
        toolCalls.push({ name, ok: false, ms: Math.round((performance.now() - t0) * 100) / 100 });
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    };

    const search = async (query: InventoryQuery): Promise<UnitMatch[]> => {
      const key = JSON.stringify(query);
      const found = await tools.inventorySearch(query);
      const matches = Array.isArray(found) ? found : [];
      for (const m of matches) seen.set(m.unit.id, m);
      searches.push({ key, matches });
      lastMatches = matches;
      return matches;
    };

    async function runTool(name: string, rawArgs: string): Promise<string> {
      if (!isToolName(name)) {
        toolCalls.push({ name, ok: false, ms: 0 });
        return JSON.stringify({ error: `unknown tool ${name}` });
      }
      let json: unknown;
      try {
        json = JSON.parse(rawArgs);
      } catch {
        toolCalls.push({ name, ok: false, ms: 0 });
        return JSON.stringify({ error: 'arguments are not valid JSON' });
      }
      switch (name) {
        case 'inventory_search': {
          // features came later than the other arguments: a model that leaves it out still searches
          const a = InventorySearchArgs.safeParse(json && typeof json === 'object' && !Array.isArray(json) ? { features: null, ...json } : json);
          if (!a.success) return invalidArgs(name, a.error);
          const query = normaliseQuery(a.data, det.profile, det.excluded, det.listing, market);
          const r = await timed(name, () => search(query));
          const concepts = askedFeatures([query.text ?? '', det.features.text]).concepts;
          return JSON.stringify(r.ok ? { query, units: r.value.slice(0, query.limit).map((m) => unitForModel(m, concepts)) } : { error: r.error });
        }
        case 'normalize_budget': {
          const a = TextArgs.safeParse(json);
          if (!a.success) return invalidArgs(name, a.error);
          const r = await timed(name, () => normalizeBudget(a.data.text, market, { expectBudget: true, listing: det.listing }));
          return JSON.stringify(r.ok ? { budget: r.value && { min: r.value.min, max: r.value.max, currency: r.value.currency, period: r.value.period } } : { error: r.error });
        }
        case 'geo_match': {
          const a = TextArgs.safeParse(json);
          if (!a.success) return invalidArgs(name, a.error);
          const r = await timed(name, () => geoMatch(a.data.text, market, det.profile.city));
          return JSON.stringify(r.ok ? r.value : { error: r.error });
        }
        case 'lead_score': {
          const a = ScoreArgs.safeParse(json);
          if (!a.success) return invalidArgs(name, a.error);
          const r = await timed(name, () => scoreLead(mergeProfile(det.profile, det.excluded, a.data.profile, market, det.contactValid), lastMatches, input.contact, market));
          return JSON.stringify(r.ok ? { score: r.value.score, qualified: r.value.qualified, breakdown: r.value.breakdown.map((b) => `${b.label} ${b.points}/${b.max}: ${b.reason}`) } : { error: r.error });
        }
      }
    }

    function invalidArgs(name: string, error: z.ZodError): string {
      toolCalls.push({ name, ok: false, ms: 0 });
      return JSON.stringify({ error: `invalid arguments: ${z.prettifyError(error)}` });
    }

    let repaired = false;
    let answer: LeadQualification | null = null;
    let cachedTokens = 0;
    let promptTokens = 0;
    for (let round = 0; answer === null; round++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`turn budget of ${turnTimeoutMs} ms spent`);
      if (round >= MAX_ROUNDS + 1) throw new InvalidOutputError('no final answer');
      const toolsLeft = toolCalls.length < MAX_TOOL_CALLS && round < MAX_ROUNDS;
      const completion: ChatCompletion = await client.chat.completions.create(
        {
          model: opts.model,
          messages,
          tools: TOOL_DEFS,
          // out of tool calls: the model must answer now
          tool_choice: toolsLeft ? 'auto' : 'none',
          response_format: RESPONSE_FORMAT,
        },
        // the SDK's timeout is per attempt; the signal holds retries to the turn's budget too
        { timeout: Math.max(1000, Math.min(25_000, remaining)), signal: AbortSignal.timeout(remaining) },
      );
      promptTokens += completion.usage?.prompt_tokens ?? 0;
      cachedTokens += completion.usage?.prompt_tokens_details?.cached_tokens ?? 0;
      const choice = completion.choices?.[0];
      const msg = choice?.message;
      if (!msg) throw new InvalidOutputError('no choices in the completion');

      const calls = (msg.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [c] : []));
      if (calls.length > 0) {
        messages.push({ role: 'assistant', content: msg.content ?? null, tool_calls: calls });
        for (const c of calls) {
          // every tool_call_id needs an answer, even the ones over the limit
          const content = toolCalls.length >= MAX_TOOL_CALLS
            ? JSON.stringify({ error: `tool call limit (${MAX_TOOL_CALLS}) reached for this turn; answer now with the information you have` })
            : await runTool(c.function.name, c.function.arguments);
          messages.push({ role: 'tool', tool_call_id: c.id, content });
        }
        if (toolsLeft) continue;
        // tools were refused and it asked anyway: that is the one repair
        if (repaired) throw new InvalidOutputError('kept calling tools after the limit');
        repaired = true;
        messages.push({ role: 'system', content: 'No more tool calls are allowed. Reply now with only the LeadQualification JSON.' });
        continue;
      }

      const checked = ((): { answer: LeadQualification } | { problem: string } => {
        if (msg.refusal) return { problem: `refusal: ${msg.refusal.slice(0, 200)}` };
        if (choice.finish_reason === 'length') return { problem: 'the answer was cut off (length)' };
        if (!msg.content) return { problem: 'empty answer' };
        let json: unknown;
        try {
          json = JSON.parse(msg.content);
        } catch {
          return { problem: 'the answer is not JSON' };
        }
        const parsed = LeadQualification.safeParse(json);
        if (!parsed.success) return { problem: `the answer does not match the schema: ${z.prettifyError(parsed.error)}` };
        if (!parsed.data.reply.trim()) return { problem: 'reply is empty' };
        const wrongScript = scriptProblem(parsed.data.reply, det.language);
        if (wrongScript) return { problem: wrongScript };
        const invented = parsed.data.unitIds.filter((id) => !seen.has(id));
        if (invented.length) return { problem: `unitIds ${invented.join(', ')} were not returned by inventory_search; mention only returned units` };
        return { answer: parsed.data };
      })();
      if ('answer' in checked) {
        answer = checked.answer;
        break;
      }
      const { problem } = checked;
      if (repaired) throw new InvalidOutputError(problem);
      repaired = true;
      log.debug({ leadId: input.leadId, problem }, 'openai agent: repairing an invalid answer');
      messages.push({ role: 'assistant', content: msg.content ?? '' });
      messages.push({ role: 'system', content: `Your answer was rejected: ${problem}. Reply again with only the LeadQualification JSON.` });
    }
    if (answer === null) throw new InvalidOutputError('no final answer');
    const final: LeadQualification = answer;

    // ---- the domain code decides the facts
    const profile = mergeProfile(det.profile, det.excluded, final.profile, market, det.contactValid);
    const listing = listingOf(profile, det.listing);
    let matches = lastMatches;
    if (profile.city !== null || profile.areas.length > 0) {
      const q = profileQuery(profile, listing, det.features.text);
      const same = searches.find((s) => s.key === JSON.stringify(q));
      if (same) matches = same.matches;
      else if (toolCalls.length < MAX_TOOL_CALLS) {
        const r = await timed('inventory_search', () => search(q));
        if (r.ok) matches = r.value;
      }
    }
    // the units the reply shows belong to the result, whatever search found them
    const shown = final.unitIds.flatMap((id) => (seen.get(id) && !matches.some((m) => m.unit.id === id) ? [seen.get(id)!] : []));
    matches = [...matches, ...shown];
    const qualification = scoreLead(profile, matches, input.contact, market);

    const intents: AgentIntent[] = [];
    const has = (kind: string, reason?: string) => det.intents.some((i) => i.kind === kind && (!reason || (i.kind === 'handoff' && i.reason === reason)));
    if (final.intents.includes('opt_out')) intents.push({ kind: 'opt_out' });
    else {
      if (has('not_interested') || final.intents.includes('not_interested')) intents.push({ kind: 'not_interested' });
      if (has('handoff', 'asked_for_human') || final.intents.includes('asked_for_human')) intents.push({ kind: 'handoff', reason: 'asked_for_human' });
      else if (qualification.qualified && !intents.length) intents.push({ kind: 'handoff', reason: 'qualified' });
    }
    log.debug({ leadId: input.leadId, toolCalls: toolCalls.length, promptTokens, cachedTokens }, 'openai agent turn');
    return {
      reply: final.reply.trim(),
      profile,
      qualification,
      matches,
      intents,
      toolCalls,
      askedFor: intents.some((i) => i.kind === 'opt_out' || i.kind === 'not_interested') ? null : final.askedFor,
      agent: 'openai',
      language: det.language,
    };
  }

  return {
    name: 'openai',
    async turn(input: AgentTurnInput, tools: AgentTools): Promise<AgentTurnResult> {
      const contactValid = contactValidity(input.contact, input.market).valid;
      const details = extractProfileDetailed(Array.isArray(input.messages) ? input.messages : [], input.market, input.now, input.formAnswers);
      const detected = await detector.turn(input, noStock);
      // Opt-out is honoured without asking the model: one fixed confirmation, nothing to sell.
      if (detected.intents.some((i) => i.kind === 'opt_out')) return detected;
      try {
        return await modelTurn(input, tools, {
          profile: { ...details.profile, contactValid },
          excluded: details.excludedAreas,
          listing: details.listing,
          contactValid,
          intents: detected.intents,
          // the offline agent's reading of the conversation's language: both agents answer in the same one
          language: detected.language ?? conversationLanguage(Array.isArray(input.messages) ? input.messages : []),
          features: askedFeatures([...recalledPreferences(input), ...(Array.isArray(input.messages) ? input.messages : []).filter((m) => m?.from === 'lead').map((m) => m.text)]),
        });
      } catch (err) {
        const { status, message } = describeError(err);
        const fields = { leadId: input.leadId, status, err: message, fallback: opts.fallback?.name ?? null };
        if (status === 401 || status === 403) log.error(fields, 'OPENAI_API_KEY was rejected: every turn is falling back until the key is fixed');
        else if (status === 400 || status === 404) log.error(fields, 'the OpenAI request was refused (model name or schema?); falling back');
        else log.warn(fields, 'openai agent turn failed; falling back');
        if (!opts.fallback) throw err;
        return opts.fallback.turn(input, tools);
      }
    },
  };
}
