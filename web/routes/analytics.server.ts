import { AnalyticsQuery, AnalyticsReport } from '../../domain/analytics.schema';
import { apiFetch, apiGet, type ApiAuth } from '~/lib/api.server';

// The manager analytics page: the report from GET /analytics for the chosen range, and the
// CSV export passed through from GET /analytics.csv (the API checks the role on both).

/** The range in the address bar; a bad one is shown as such and the default range loads instead. */
function rangeOf(url: URL): { query: URLSearchParams; invalid: string | null } {
  const raw = { from: url.searchParams.get('from') || undefined, to: url.searchParams.get('to') || undefined };
  const parsed = AnalyticsQuery.safeParse(raw);
  const query = new URLSearchParams();
  if (!parsed.success) return { query, invalid: parsed.error.issues.map((i) => i.message).join('; ') };
  if (parsed.data.from) query.set('from', parsed.data.from);
  if (parsed.data.to) query.set('to', parsed.data.to);
  return { query, invalid: null };
}

export async function loadAnalytics(auth: ApiAuth, url: URL) {
  const { query, invalid } = rangeOf(url);
  const report = AnalyticsReport.parse(await apiGet<unknown>(auth, `/analytics?${query}`));
  const csv = new URLSearchParams({ from: report.from, to: report.to });
  return { report, invalid, csvHref: `/analytics/csv?${csv}` };
}

export async function downloadAnalyticsCsv(auth: ApiAuth, url: URL): Promise<Response> {
  const { query } = rangeOf(url);
  const upstream = await apiFetch(auth, `/analytics.csv?${query}`, { headers: { accept: 'text/csv' } });
  const headers = new Headers({ 'content-type': upstream.headers.get('content-type') ?? 'text/csv', 'cache-control': 'no-store' });
  const disposition = upstream.headers.get('content-disposition');
  if (disposition) headers.set('content-disposition', disposition);
  return new Response(upstream.body, { status: upstream.status, headers });
}
