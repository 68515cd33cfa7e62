import { useEffect, useRef, useState } from 'react';
import { Link, data, useLocation } from 'react-router';
import type { Route } from './+types/leads._index';
import { InboxFilters, SavedViews } from '~/components/inbox/inbox-filters';
import { InboxList } from '~/components/inbox/inbox-list';
import { Card } from '~/components/ui/card';
import { ApiError } from '~/lib/api.server';
import { requireAuth } from '~/lib/session.server';
import { useLiveRevalidation } from '~/lib/use-lead-events';
import { LiveStatusBadge } from '~/components/ui/live-status';
import { LeadListQuery, describeQueryError, viewOf } from '../../domain/lead-inbox.schema';
import type { LeadPage } from '../../domain/lead-summary.schema';
import { listBrokers, listInbox, type BrokerItem } from './leads.server';

export const meta: Route.MetaFunction = ({ location }) => {
  const view = viewOf(new URLSearchParams(location.search));
  return [{ title: `${view ? `${view.label} · ` : ''}Lead Inbox · Leadline` }];
};

export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = requireAuth(context);
  const url = new URL(request.url);
  const params = Object.fromEntries(url.searchParams);
  const brokers = listBrokers(auth).catch(() => [] as BrokerItem[]);
  const me = auth.user.brokerId;
  const parsed = LeadListQuery.safeParse(params);
  // A bad parameter is the page's answer, in words, with the filters still there to fix it.
  if (!parsed.success) return data({ page: null, error: describeQueryError(parsed.error).message, params, brokers: await brokers, me }, { status: 400 });
  try {
    const page: LeadPage = await listInbox(auth, url.searchParams);
    return data({ page, error: null, params, brokers: await brokers, me });
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) return data({ page: null, error: err.message, params, brokers: await brokers, me }, { status: 400 });
    if (err instanceof ApiError) throw data(err.message, { status: err.status });
    throw err;
  }
}

/** Leads that appeared while the page was open (a live update), marked "new" until the view changes. */
function useFreshIds(ids: string[], viewKey: string): ReadonlySet<string> {
  const known = useRef<{ key: string; ids: Set<string> } | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!known.current || known.current.key !== viewKey) {
      known.current = { key: viewKey, ids: new Set(ids) };
      setFresh(new Set());
      return;
    }
    const seen = known.current.ids;
    const added = ids.filter((id) => !seen.has(id));
    if (added.length === 0) return;
    for (const id of added) seen.add(id);
    setFresh((prev) => new Set([...prev, ...added]));
  }, [ids, viewKey]);
  return fresh;
}

export default function LeadInbox({ loaderData }: Route.ComponentProps) {
  const { page, error, params, brokers, me } = loaderData;
  const location = useLocation();
  const search = new URLSearchParams(location.search);
  const view = viewOf(search);
  const current = view?.id ?? ([...search.values()].every((v) => v === '') ? 'all' : null);
  const items = page?.items ?? [];
  const fresh = useFreshIds(
    items.map((i) => i.id),
    location.search,
  );
  const live = useLiveRevalidation();
  const names = new Map(brokers.map((b) => [b.id, b.name]));
  const ownerName = (id: string) => (id === me ? 'You' : (names.get(id) ?? id));

  const next = new URLSearchParams(search);
  if (page?.nextCursor) next.set('cursor', page.nextCursor);
  const first = new URLSearchParams(search);
  first.delete('cursor');
  const from = search.get('cursor') ? null : 1;

  return (
    <>
      <div className="page-head">
        <h1>{view ? view.label : 'Lead Inbox'}</h1>
        <LiveStatusBadge status={live} />
      </div>
      <SavedViews current={current} canHaveMine={Boolean(me)} />
      <InboxFilters params={params} brokers={brokers} canHaveMine={Boolean(me)} />
      {error ? (
        <div className="alert alert-error" role="alert" data-testid="query-error">
          {error}. <Link to="/leads">Show all leads</Link>
        </div>
      ) : null}
      {page ? (
        <Card
          title={
            <span data-testid="lead-total">
              {page.total} lead{page.total === 1 ? '' : 's'}
              {page.items.length > 0 && page.items.length < page.total ? <span className="muted small"> · showing {from ? `${from}–${page.items.length}` : page.items.length}</span> : null}
            </span>
          }
        >
          {items.length === 0 ? (
            <p className="muted">{search.toString() ? 'No lead matches these filters.' : 'No leads yet. Send a WhatsApp message or a web chat to create one.'}</p>
          ) : (
            <InboxList items={items} ownerName={ownerName} fresh={fresh} />
          )}
          <nav className="pager" aria-label="Pages">
            {search.get('cursor') ? <Link to={`/leads?${first.toString()}`}>First page</Link> : null}
            {page.nextCursor ? (
              <Link to={`/leads?${next.toString()}`} rel="next">
                Next page
              </Link>
            ) : null}
          </nav>
        </Card>
      ) : null}
    </>
  );
}
