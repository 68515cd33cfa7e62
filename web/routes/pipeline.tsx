import { Form, data, useSearchParams } from 'react-router';
import type { Route } from './+types/pipeline';
import { Select } from '~/components/ui/input';
import { LiveStatusBadge } from '~/components/ui/live-status';
import { useLiveRevalidation, usePollWhileOffline } from '~/lib/use-lead-events';
import { PipelineBoard, SORTS, type SortKey } from '~/components/pipeline/pipeline-board';
import { ApiError } from '~/lib/api.server';
import { errorSentence } from '~/lib/error-text';
import { requireAuth } from '~/lib/session.server';
import pipelineStyles from '~/styles/pipeline.css?url';
import { PAGE, loadBoard, moveCard } from './pipeline.server';

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: pipelineStyles }];

export const meta: Route.MetaFunction = () => [{ title: 'Pipeline · Leadline' }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = requireAuth(context);
  try {
    return data({ ...(await loadBoard(auth, new URL(request.url))), canClaim: Boolean(auth.user.brokerId), pageSize: PAGE });
  } catch (err) {
    if (err instanceof ApiError) throw data(errorSentence(err.code, err.message), { status: err.status });
    throw err;
  }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { result, status } = await moveCard(requireAuth(context), await request.formData());
  return data(result, { status });
}

const isSort = (v: string | null): v is SortKey => v !== null && Object.hasOwn(SORTS, v);

export default function PipelinePage({ loaderData }: Route.ComponentProps) {
  const { columns, brokers, canClaim, pageSize } = loaderData;
  const [params] = useSearchParams();
  const sortParam = params.get('sort');
  const sort: SortKey = isSort(sortParam) ? sortParam : 'newest';
  // Other brokers and the AI move cards too: the board reloads when the live feed says a lead
  // changed (at most once a second: a campaign burst is many events), and polls only while the feed
  // is down. A reload mid-drag does not disturb the drag: the board holds its lists until the drop.
  const live = useLiveRevalidation(undefined, 1000);
  usePollWhileOffline(live);
  const total = columns.reduce((n, c) => n + c.total, 0);
  return (
    <div className="pipeline-page">
      <div className="pipeline-top">
        <h1>Pipeline</h1>
        <span className="muted" data-testid="pipeline-total">
          {total} lead{total === 1 ? '' : 's'}
        </span>
        <LiveStatusBadge status={live} />
        <Form method="get" className="pipeline-sort" preventScrollReset onChange={(e) => e.currentTarget.requestSubmit()}>
          {[...params.entries()]
            .filter(([k]) => k !== 'sort')
            .map(([k, v]) => (
              <input key={k} type="hidden" name={k} value={v} />
            ))}
          <label htmlFor="pipeline-sort">Sort cards</label>
          <Select id="pipeline-sort" name="sort" defaultValue={sort}>
            {Object.entries(SORTS).map(([key, s]) => (
              <option key={key} value={key}>
                {s.label}
              </option>
            ))}
          </Select>
          <noscript>
            <button type="submit">Sort</button>
          </noscript>
        </Form>
      </div>
      <p className="muted small">
        Drag a card to another column (the board scrolls when you near its edge), or use its “Move to…” menu. The lead&apos;s workflow checks every move; a refused move stays put with the
        reason on the card. Viewing, negotiation and won need an owner: moving an unowned lead there claims it for you.
      </p>
      <PipelineBoard columns={columns} brokers={brokers} sort={sort} canClaim={canClaim} pageSize={pageSize} />
    </div>
  );
}
