import { Link, data, useRevalidator } from 'react-router';
import { useEffect } from 'react';
import type { Route } from './+types/leads.$leadId';
import { Badge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { money, timeAgo } from '~/lib/format';
import { ApiError } from '~/lib/api.server';
import { getLead } from './leads.server';

export const meta: Route.MetaFunction = () => [{ title: 'Lead · Leadline' }];

export async function loader({ params }: Route.LoaderArgs) {
  try {
    return data(await getLead(params.leadId));
  } catch (err) {
    if (err instanceof ApiError) throw data(err.message, { status: err.status });
    throw err;
  }
}

const PROFILE_LABELS: Array<[string, string]> = [
  ['persona', 'Persona'],
  ['city', 'City'],
  ['areas', 'Areas'],
  ['propertyType', 'Type'],
  ['beds', 'Bedrooms'],
  ['budget', 'Budget'],
  ['timeline', 'Timeline'],
  ['finance', 'Finance'],
];

function profileValue(profile: Record<string, unknown> | null, key: string): string {
  if (!profile) return '—';
  if (key === 'beds') {
    const [min, max] = [profile.bedsMin, profile.bedsMax] as Array<number | null>;
    if (min === null && max === null) return '—';
    if (min === max) return min === 0 ? 'Studio' : String(min);
    return `${min ?? '?'}–${max ?? '+'}`;
  }
  if (key === 'budget') {
    const { budgetMin, budgetMax, currency, budgetPeriod } = profile as Record<string, number | string | null>;
    if (budgetMin === null && budgetMax === null) return '—';
    const range = [budgetMin, budgetMax].map((v) => (v === null ? '…' : money(Number(v), currency as string))).join(' – ');
    return budgetPeriod && budgetPeriod !== 'total' ? `${range} / ${budgetPeriod}` : range;
  }
  const v = profile[key];
  if (Array.isArray(v)) return v.length ? v.join(', ') : '—';
  return v === null || v === undefined || v === '' ? '—' : String(v);
}

export default function LeadDetailPage({ loaderData }: Route.ComponentProps) {
  const { lead, profile, qualification, timeline, workflow } = loaderData;
  const revalidator = useRevalidator();
  // Live view: the workflow answers within seconds, so refresh while the page is open.
  useEffect(() => {
    const id = setInterval(() => revalidator.revalidate(), 3000);
    return () => clearInterval(id);
  }, [revalidator]);

  const transcript = workflow.state?.transcript ?? timeline.filter((a) => a.type === 'message').map((a) => ({ id: a.id, from: a.actor, text: a.body ?? '', at: a.at }));
  return (
    <>
      <p>
        <Link to="/leads">← Lead Inbox</Link>
      </p>
      <h1>
        {lead.contact.name ?? 'Unnamed lead'} <Badge tone="info">{lead.stage}</Badge>
      </h1>
      <div className="grid">
        <Card title="Contact">
          <dl className="kv">
            <dt>Phone</dt>
            <dd>{lead.contact.phone ?? '—'}</dd>
            <dt>Email</dt>
            <dd>{lead.contact.email ?? '—'}</dd>
            <dt>Channel</dt>
            <dd>{lead.channel}</dd>
            <dt>Market</dt>
            <dd>{lead.market}</dd>
            <dt>Owner</dt>
            <dd>{lead.ownerId ?? 'AI agent'}</dd>
            <dt>Created</dt>
            <dd>{timeAgo(lead.createdAt)}</dd>
          </dl>
        </Card>
        <Card
          title="Live workflow"
          actions={
            <a href={workflow.uiUrl} target="_blank" rel="noreferrer" data-testid="temporal-link">
              Open in Temporal UI ↗
            </a>
          }
        >
          <dl className="kv">
            <dt>Workflow</dt>
            <dd>
              <code>{workflow.id}</code>
            </dd>
            <dt>Status</dt>
            <dd>{workflow.status}</dd>
            <dt>Stage</dt>
            <dd>{workflow.state?.stage ?? lead.stage}</dd>
            <dt>Turns</dt>
            <dd>{workflow.state?.turns ?? '—'}</dd>
            <dt>Next question</dt>
            <dd>{workflow.state?.askedFor ?? '—'}</dd>
          </dl>
          {workflow.error ? <p className="muted">Live state unavailable: {workflow.error}</p> : null}
        </Card>
        <Card title="Profile">
          <dl className="kv">
            {PROFILE_LABELS.map(([key, label]) => (
              <div key={key} style={{ display: 'contents' }}>
                <dt>{label}</dt>
                <dd>{profileValue(profile, key)}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card title="Score">
          {qualification ? (
            <>
              <div className="score" data-testid="score">
                {qualification.score}
                <span className="muted" style={{ fontSize: 14 }}>
                  {' '}
                  / 100 {qualification.qualified ? <Badge tone="good">qualified</Badge> : <Badge>not yet qualified</Badge>}
                </span>
              </div>
              <table>
                <tbody>
                  {qualification.breakdown.map((part) => (
                    <tr key={part.key}>
                      <td style={{ width: '30%' }}>{part.label}</td>
                      <td style={{ width: '20%' }}>
                        {part.points}/{part.max}
                        <div className="bar">
                          <span style={{ width: `${part.max ? (100 * part.points) / part.max : 0}%` }} />
                        </div>
                      </td>
                      <td className="muted">{part.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p className="muted">Not scored yet.</p>
          )}
        </Card>
      </div>
      <Card title="Conversation">
        <div className="transcript" data-testid="transcript">
          {transcript.map((m) => (
            <div key={m.id} className={`bubble ${m.from}`}>
              {m.text}
              <span className="meta">
                {m.from} · {timeAgo(m.at)}
              </span>
            </div>
          ))}
        </div>
      </Card>
      {workflow.state?.matches.length ? (
        <Card title="Matching units">
          <table>
            <tbody>
              {workflow.state.matches.map((m) => (
                <tr key={m.unitId}>
                  <td>{m.title}</td>
                  <td>{money(m.price, m.currency)}</td>
                  <td className="muted">match {m.score}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      ) : null}
    </>
  );
}
