import { z } from 'zod';

/** The signed-in person (or machine) behind a command; recorded in the timeline and audit log. */
export const ActorSchema = z.object({
  id: z.string().min(1).max(64),
  role: z.enum(['admin', 'manager', 'broker', 'system']),
  name: z.string().max(200).optional(),
});
export type Actor = z.infer<typeof ActorSchema>;
