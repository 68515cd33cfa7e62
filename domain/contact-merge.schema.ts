import { z } from 'zod';

// A broker merging two contacts that are one person (#12): a web chat contact, whose phone or
// e-mail was only typed, into the contact that owns that number or address (WhatsApp, SMS, a
// form). The API, its OpenAPI document and the web app share these shapes.

export const MergeContactBody = z.object({ intoContactId: z.uuid() }).strict();

const CandidateLead = z.object({ id: z.uuid(), channel: z.string(), stage: z.string(), createdAt: z.string() });

export const SamePersonCandidate = z.object({
  contactId: z.uuid(),
  /** `into-other`: this contact (details only typed) merges into the candidate; `into-this`: the candidate merges into this one. */
  direction: z.enum(['into-other', 'into-this']),
  matchedOn: z.enum(['phone', 'email']),
  leads: z.array(CandidateLead),
});
export type SamePersonCandidate = z.infer<typeof SamePersonCandidate>;

export const SamePersonView = z.object({
  contactId: z.uuid(),
  /** Already merged: the contact this one was merged into. */
  mergedInto: z.uuid().nullable(),
  candidates: z.array(SamePersonCandidate),
});
export type SamePersonView = z.infer<typeof SamePersonView>;

export const MergeResult = z.object({
  merge: z.object({
    contactId: z.uuid(),
    intoContactId: z.uuid(),
    /** Web chat sessions that now talk to the target contact (and its open lead). */
    movedSessions: z.number().int(),
    /** The merged contact's leads: kept as they are (their workflows run on), linked to the target. */
    linkedLeadIds: z.array(z.uuid()),
    /** False when the same merge had already been made (asking again changes nothing). */
    changed: z.boolean(),
  }),
});
export type MergeResult = z.infer<typeof MergeResult>;
