import type { LeadProfile } from './profile.schema';

// Kept out of profile.schema.ts: every lead's workflow starts from this profile, and importing
// the schema module would build its zod schemas (and load zod) again for each lead the worker
// starts or replays. This module is shared between workflows (temporal/workflow-bundle.options.ts).

export const emptyProfile = (): LeadProfile => ({
  persona: null,
  city: null,
  areas: [],
  propertyType: null,
  bedsMin: null,
  bedsMax: null,
  budgetMin: null,
  budgetMax: null,
  currency: null,
  budgetPeriod: null,
  timeline: null,
  finance: null,
  contactValid: false,
});
