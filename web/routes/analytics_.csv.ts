import type { Route } from './+types/analytics_.csv';
import { requireRole } from '~/lib/session.server';
import { downloadAnalyticsCsv } from './analytics.server';

// The analytics page's "Download CSV" link: the API's export, streamed through.
export async function loader({ request, context }: Route.LoaderArgs) {
  return downloadAnalyticsCsv(requireRole(context, ['admin', 'manager']), new URL(request.url));
}
