import { data } from 'react-router';
import { z } from 'zod';
import type { Route } from './+types/contacts.$contactId.merge';
import { apiPost } from '~/lib/api.server';
import { requireAuth } from '~/lib/session.server';
import { MergeContactBody, type MergeResult } from '../../domain/contact-merge.schema';

// The "Merge" button of the lead page's "possible same person" note posts here; the API checks
// who may merge and answers every refusal with its own code, shown beside the button.
export async function action({ request, params, context }: Route.ActionArgs) {
  const auth = requireAuth(context);
  const form = await request.formData();
  const parsed = MergeContactBody.safeParse({ intoContactId: form.get('intoContactId') });
  if (!parsed.success) return data({ ok: false as const, error: { code: 'invalid_input', message: z.prettifyError(parsed.error) } }, { status: 422 });
  const res = await apiPost<MergeResult>(auth, `/contacts/${encodeURIComponent(params.contactId)}/merge`, parsed.data);
  if (!res.ok) return data({ ok: false as const, error: { code: res.code, message: res.message } }, { status: res.status });
  return { ok: true as const, merge: res.data.merge };
}
