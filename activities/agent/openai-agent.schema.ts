import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { BudgetPeriod, Finance, Persona, PropertyType, Timeline } from '../../domain/profile.schema';

// What crosses the model boundary: the tools the model may call and the answer it must give,
// each a zod schema (the same schema validates what comes back).

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

const ModelIntent = z.enum(['opt_out', 'not_interested', 'asked_for_human', 'handoff_qualified']);
const AskField = z.enum(['persona', 'area', 'propertyType', 'beds', 'budget', 'timeline', 'finance']);

/** The model's final answer. No score: qualification is always computed by scoreLead. */
export const LeadQualification = z.object({
  reply: z.string(),
  profile: ModelProfile,
  intents: z.array(ModelIntent),
  askedFor: Nullable(AskField),
  unitIds: z.array(z.string()),
});
export type LeadQualification = z.infer<typeof LeadQualification>;

export const InventorySearchArgs = z.object({
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
export type InventorySearchArgs = z.infer<typeof InventorySearchArgs>;
export const TextArgs = z.object({ text: z.string() });
export const ScoreArgs = z.object({ profile: ModelProfile });

const TOOL_SCHEMAS = {
  inventory_search: InventorySearchArgs,
  normalize_budget: TextArgs,
  geo_match: TextArgs,
  lead_score: ScoreArgs,
} as const;
type ToolName = keyof typeof TOOL_SCHEMAS;
export const isToolName = (n: string): n is ToolName => Object.hasOwn(TOOL_SCHEMAS, n);

// Built once: the tool definitions are part of the cached prefix, so they never change per call.
export const TOOL_DEFS: ChatCompletionTool[] = [
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

export const RESPONSE_FORMAT = JSON.parse(JSON.stringify(zodResponseFormat(LeadQualification, 'LeadQualification'))) as ChatCompletionCreateParamsNonStreaming['response_format'];

