import { z } from 'zod';
import { ApiError, apiPost, type ApiAuth } from '~/lib/api.server';

// The admin's erase of a contact (data rights, #12), through the API (which checks the role,
// runs the erasure workflow and writes the audit entry). Its answer is shown as the result page.

const AnonymousLead = z.object({
  id: z.string(),
  channel: z.string(),
  stage: z.string(),
  market: z.string(),
  score: z.number().nullable(),
  qualified: z.boolean(),
  createdAt: z.string(),
  erasedAt: z.string().nullable(),
});
const EraseAnswer = z.object({
  erasure: z.discriminatedUnion('status', [
    z.object({
      status: z.literal('done'),
      leadIds: z.array(z.string()),
      contactErased: z.boolean(),
      redactedEvents: z.number(),
      destroyedKeys: z.number(),
      terminatedWorkflows: z.number(),
      suppressed: z.boolean(),
      anonymousLeads: z.array(AnonymousLead).default([]),
    }),
    z.object({ status: z.literal('running'), workflowId: z.string() }),
  ]),
});
export type EraseOutcome = { ok: true; erasure: z.infer<typeof EraseAnswer>['erasure'] } | { ok: false; status: number; code: string; message: string };

export async function eraseContact(auth: ApiAuth, contactId: string): Promise<EraseOutcome> {
  try {
    const res = await apiPost<unknown>(auth, `/contacts/${encodeURIComponent(contactId)}/erase`, {});
    if (!res.ok) return res;
    const parsed = EraseAnswer.safeParse(res.data);
    if (!parsed.success) return { ok: false, status: 502, code: 'bad_answer', message: 'The API answered the erase in an unexpected shape' };
    return { ok: true, erasure: parsed.data.erasure };
  } catch (err) {
    // A failed erasure (502 erasure_failed) is shown beside the form: it can be asked for again.
    if (err instanceof ApiError) return { ok: false, status: err.status, code: err.code, message: err.message };
    throw err;
  }
}
