import type { Route } from './+types/leads.$leadId_.media.$mediaId';
import { apiFetch } from '~/lib/api.server';
import { requireAuth } from '~/lib/session.server';

// A file a lead sent, streamed from the API with the signed-in user's session (the API decides
// whether they may see the lead); the browser never talks to the API itself.
export async function loader({ params, context }: Route.LoaderArgs) {
  const auth = requireAuth(context);
  const res = await apiFetch(auth, `/leads/${encodeURIComponent(params.leadId)}/media/${encodeURIComponent(params.mediaId)}`);
  const headers = new Headers({ 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' });
  for (const name of ['content-type', 'content-disposition']) {
    const value = res.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(res.body, { status: res.status, headers });
}
