import { redirect } from 'react-router';
import type { Route } from './+types/logout';
import { apiFetch } from '~/lib/api.server';
import { authContext, sessionCookie } from '~/lib/session.server';

// POST only (a link or an image could trigger a GET): ends the session at the API, where it
// is checked, and drops the cookie.
export async function action({ context }: Route.ActionArgs) {
  const auth = context.get(authContext);
  if (auth) await apiFetch(auth, '/auth/logout', { method: 'POST' }).catch(() => undefined);
  throw redirect('/login?notice=signed-out', { headers: { 'set-cookie': await sessionCookie.serialize('', { maxAge: 0 }) } });
}

export function loader() {
  return redirect('/login');
}
