import type { Route } from './+types/contacts.$contactId.same-person';
import { ApiError, apiGet } from '~/lib/api.server';
import { requireAuth } from '~/lib/session.server';
import type { SamePersonView } from '../../domain/contact-merge.schema';

// The lead page's "possible same person" note reads this (a fetcher): the API decides who may see it.
export async function loader({ params, context }: Route.LoaderArgs) {
  const auth = requireAuth(context);
  try {
    return { ok: true as const, view: await apiGet<SamePersonView>(auth, `/contacts/${encodeURIComponent(params.contactId)}/same-person`) };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false as const, error: { code: err.code, message: err.message } };
    throw err;
  }
}
