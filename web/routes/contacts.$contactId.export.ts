import type { Route } from './+types/contacts.$contactId.export';
import { apiFetch } from '~/lib/api.server';
import { requireAuth } from '~/lib/session.server';

// Data rights: the admin's download of everything held about a contact, straight from the API
// (which checks the role and writes the audit entry).
export async function loader({ params, context }: Route.LoaderArgs) {
  const auth = requireAuth(context);
  const upstream = await apiFetch(auth, `/contacts/${encodeURIComponent(params.contactId)}/export`, { headers: { accept: 'application/json' } });
  const headers = new Headers({ 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' });
  const disposition = upstream.headers.get('content-disposition');
  if (disposition) headers.set('content-disposition', disposition);
  return new Response(upstream.body, { status: upstream.status, headers });
}
