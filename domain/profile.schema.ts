import { z } from 'zod';

// The normalised lead profile of ../shared/evals/SPEC.md: the one shape every agent
// (offline or OpenAI) must produce, so both can be measured on the same cases.
export const Market = z.enum(['AE', 'GB', 'US', 'IN']);
export type Market = z.infer<typeof Market>;

export const Channel = z.enum(['whatsapp', 'web', 'leadads', 'sms']);
export type Channel = z.infer<typeof Channel>;

export const Persona = z.enum(['buyer', 'investor', 'tenant']);
export const PropertyType = z.enum(['apartment', 'villa', 'townhouse', 'penthouse', 'duplex', 'office', 'retail', 'land']);
export type PropertyType = z.infer<typeof PropertyType>;
export const BudgetPeriod = z.enum(['total', 'year', 'month']);
export const Timeline = z.enum(['0-3m', '3-6m', '6-12m', '12m+']);
export const Finance = z.enum(['cash', 'preapproved', 'mortgage']);

export const LeadProfile = z.object({
  persona: Persona.nullable(),
  city: z.string().nullable(),
  areas: z.array(z.string()),
  propertyType: PropertyType.nullable(),
  bedsMin: z.number().int().nullable(),
  bedsMax: z.number().int().nullable(),
  budgetMin: z.number().int().nullable(),
  budgetMax: z.number().int().nullable(),
  currency: z.string().length(3).nullable(),
  budgetPeriod: BudgetPeriod.nullable(),
  timeline: Timeline.nullable(),
  finance: Finance.nullable(),
  contactValid: z.boolean(),
});
export type LeadProfile = z.infer<typeof LeadProfile>;

export const ScorePart = z.object({
  key: z.string(),
  label: z.string(),
  points: z.number(),
  max: z.number(),
  reason: z.string(),
});
export type ScorePart = z.infer<typeof ScorePart>;

export const Qualification = z.object({
  score: z.number().int().min(0).max(100),
  qualified: z.boolean(),
  breakdown: z.array(ScorePart),
  reasons: z.array(z.string()),
});
export type Qualification = z.infer<typeof Qualification>;

export const Contact = z.object({
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});
export type Contact = z.infer<typeof Contact>;

export const Unit = z.object({
  id: z.string(),
  title: z.string(),
  listing: z.enum(['sale', 'rent']),
  city: z.string(),
  area: z.string(),
  propertyType: PropertyType,
  beds: z.number().int(),
  baths: z.number().int(),
  areaM2: z.number(),
  price: z.number().int(),
  currency: z.string().length(3),
  rentPeriod: z.enum(['year', 'month']).nullable().optional(),
  completion: z.enum(['ready', 'off-plan']),
  features: z.array(z.string()),
  description: z.string(),
});
export type Unit = z.infer<typeof Unit>;
