import { Link, data } from 'react-router';
import type { Route } from './+types/leads._index';
import { Badge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { LanguageTag } from '~/components/language-tag';
import { timeAgo } from '~/lib/format';
import { requireAuth } from '~/lib/session.server';
import { listLeads } from './leads.server';

export const meta: Route.MetaFunction = () => [{ title: 'Lead Inbox · Leadline' }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const url = new URL(request.url);
  return data(await listLeads(requireAuth(context), url.searchParams.get('status') ?? undefined));
}

const stageTone = (stage: string) => (stage === 'qualified' || stage === 'won' ? 'good' : stage === 'handoff' ? 'warn' : stage === 'new' ? 'info' : 'neutral');

export default function LeadInbox({ loaderData }: Route.ComponentProps) {
  const { items, total } = loaderData;
  return (
    <>
      <h1>Lead Inbox</h1>
      <Card title={`${total} lead${total === 1 ? '' : 's'}`}>
        {items.length === 0 ? (
          <p className="muted">No leads yet. Send a WhatsApp message or a web chat to create one.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Lead</th>
                <th>Channel</th>
                <th>Stage</th>
                <th>Score</th>
                <th>Last message</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {items.map((lead) => (
                <tr key={lead.id} data-lead-id={lead.id}>
                  <td>
                    <Link to={`/leads/${lead.id}`}>{lead.contact.name ?? 'Unnamed lead'}</Link>{' '}
                    {lead.alertCount > 0 ? <Badge tone="warn">{lead.alertCount === 1 ? '1 alert' : `${lead.alertCount} alerts`}</Badge> : null}{' '}
                    <LanguageTag language={lead.contact.language} />
                  </td>
                  <td>{lead.channel}</td>
                  <td>
                    <Badge tone={stageTone(lead.stage)}>{lead.stage}</Badge>
                  </td>
                  <td>{lead.score ?? '—'}</td>
                  <td className="muted">{lead.lastMessagePreview ?? ''}</td>
                  <td className="muted">{timeAgo(lead.lastMessageAt ?? lead.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
