import { z } from 'zod';

// GET /leads/:id/memories: what the agent remembers about a lead, newest first. Shared by the
// route, the OpenAPI document and the tests.
const LeadMemoryView = z.object({
  id: z.string(),
  kind: z.enum(['fact', 'preference']),
  text: z.string(),
  /** The lead message it came from (its provider id). */
  messageId: z.string(),
  at: z.string(),
});
export const LeadMemoryList = z.object({ items: z.array(LeadMemoryView) });
export type LeadMemoryList = z.infer<typeof LeadMemoryList>;
