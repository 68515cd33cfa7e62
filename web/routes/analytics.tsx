import { Form, data } from 'react-router';
import type { Route } from './+types/analytics';
import { FunnelChart, ScoreChart } from '~/components/analytics/analytics-charts';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import { ApiError } from '~/lib/api.server';
import { errorSentence } from '~/lib/error-text';
import { requireRole } from '~/lib/session.server';
import type { AnalyticsReport } from '../../domain/analytics.schema';
import analyticsStyles from '~/styles/analytics.css?url';
import { loadAnalytics } from './analytics.server';

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: analyticsStyles }];

export const meta: Route.MetaFunction = () => [{ title: 'Analytics · Leadline' }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = requireRole(context, ['admin', 'manager']);
  try {
    return await loadAnalytics(auth, new URL(request.url));
  } catch (err) {
    if (err instanceof ApiError) throw data(errorSentence(err.code, err.message), { status: err.status });
    throw err;
  }
}

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

/** Seconds as the shortest readable duration. */
function duration(s: number | null): string {
  if (s === null) return '—';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 360) / 10} h`;
}

export default function AnalyticsPage({ loaderData }: Route.ComponentProps) {
  const { report, invalid, csvHref } = loaderData;
  return (
    <>
      <h1>Analytics</h1>
      {invalid ? <Alert tone="error" testId="analytics-invalid">{`Range not used: ${invalid}`}</Alert> : null}
      <Card title="Range">
        <Form method="get" className="row" aria-label="Date range">
          <Field label="From" htmlFor="analytics-from">
            <Input id="analytics-from" name="from" type="date" defaultValue={report.from} required />
          </Field>
          <Field label="To" htmlFor="analytics-to">
            <Input id="analytics-to" name="to" type="date" defaultValue={report.to} required />
          </Field>
          <div className="analytics-actions">
            <Button type="submit">Show</Button>
            <a href={csvHref} download data-testid="analytics-csv">
              Download CSV
            </a>
          </div>
        </Form>
        <p className="muted" data-testid="analytics-total">
          {report.totalLeads} lead{report.totalLeads === 1 ? '' : 's'} created {report.from} to {report.to} (UTC)
        </p>
      </Card>
      <Card title="Funnel">
        <FunnelChart funnel={report.funnel} />
        <table data-testid="funnel">
          <thead>
            <tr>
              <th>Stage</th>
              <th>Leads</th>
              <th>Conversion</th>
            </tr>
          </thead>
          <tbody>
            {report.funnel.map((f) => (
              <tr key={f.stage}>
                <td>{f.stage}</td>
                <td>{f.count}</td>
                <td>{f.stage === 'lost' ? `${pct(f.rate)} of all` : pct(f.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Breakdown rows={report.breakdown} />
      <Card title="Scores">
        <ScoreChart buckets={report.scores.buckets} />
        <p className="muted">{report.scores.unscored} not scored yet</p>
      </Card>
      <Speed rows={report.speed} />
      <Card title="SLA and AI">
        <table data-testid="sla">
          <thead>
            <tr>
              <th>Broker</th>
              <th>Claims</th>
              <th>Within SLA</th>
            </tr>
          </thead>
          <tbody>
            {report.sla.map((s) => (
              <tr key={s.brokerId}>
                <td>{s.brokerId}</td>
                <td>{s.claims}</td>
                <td>{pct(s.compliance)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p data-testid="ai-only">
          Handled by the AI alone: {report.aiOnly.aiOnly} of {report.aiOnly.conversations} conversations ({pct(report.aiOnly.share)})
        </p>
      </Card>
      <FollowUps followUps={report.followUps} />
    </>
  );
}

function FollowUps({ followUps }: { followUps: AnalyticsReport['followUps'] }) {
  return (
    <Card title="Follow-ups: replies per nudge">
      <table data-testid="follow-ups">
        <thead>
          <tr>
            <th>Nudge</th>
            <th>Sent</th>
            <th>Replied</th>
            <th>Reply rate</th>
          </tr>
        </thead>
        <tbody>
          {followUps.steps.map((f) => (
            <tr key={f.step}>
              <td>{`#${f.step}`}</td>
              <td>{f.sent}</td>
              <td>{f.replied}</td>
              <td>{pct(f.replyRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {followUps.steps.length === 0 ? 'No nudges sent to these leads. ' : ''}A reply counts when the lead writes back before the next nudge, within{' '}
        {followUps.replyWindowHours} h; the count starts over at #1 after every reply.
      </p>
    </Card>
  );
}

function Breakdown({ rows }: { rows: AnalyticsReport['breakdown'] }) {
  return (
    <Card title="Channels, sources and campaigns">
      <table data-testid="breakdown">
        <thead>
          <tr>
            <th>By</th>
            <th>Value</th>
            <th>Leads</th>
            <th>Qualified</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr key={`${b.dimension}:${b.key}`}>
              <td>{b.dimension}</td>
              <td className="analytics-key">{b.key}</td>
              <td>{b.leads}</td>
              <td>{pct(b.qualifiedShare)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function Speed({ rows }: { rows: AnalyticsReport['speed'] }) {
  return (
    <Card title="Speed to lead (p50 / p90)">
      <table data-testid="speed">
        <thead>
          <tr>
            <th>By</th>
            <th>First reply</th>
            <th>Time to claim</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={`${s.dimension}:${s.key}`}>
              <td className="analytics-key">{`${s.dimension}: ${s.key}`}</td>
              <td>{`${duration(s.firstReply.p50Seconds)} / ${duration(s.firstReply.p90Seconds)}`}</td>
              <td>{`${duration(s.timeToClaim.p50Seconds)} / ${duration(s.timeToClaim.p90Seconds)}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
