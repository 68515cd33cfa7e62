import type { Route } from './+types/events';
import { apiFetch } from '~/lib/api.server';
import { requireAuth } from '~/lib/session.server';
import { streamThrough } from '~/lib/stream-through.server';

// The browser's live feed (web/lib/use-lead-events.ts): the API's GET /events, opened with the
// signed-in user's session from their cookie, so the browser never holds an API credential.
// The stream is passed through as it arrives; when the browser goes, the upstream request is
// aborted with it, and the stream ends quietly (streamThrough).
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = requireAuth(context);
  const upstream = await apiFetch(auth, '/events', { headers: { accept: 'text/event-stream' }, signal: request.signal });
  if (!upstream.ok || !upstream.body) {
    await upstream.body?.cancel();
    return new Response(null, { status: upstream.status === 200 ? 502 : upstream.status });
  }
  return new Response(streamThrough(upstream.body, request.signal), {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
  });
}
