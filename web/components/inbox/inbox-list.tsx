import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { LanguageTag } from '~/components/language-tag';
import { Badge } from '~/components/ui/badge';
import { channelLabel, previewText, scoreHeat, slaCountdown, timeAgo } from '~/lib/format';
import type { LeadListItem } from '../../../domain/lead-summary.schema';

const stageTone = (stage: string) => (stage === 'qualified' || stage === 'won' ? 'good' : stage === 'handoff' ? 'warn' : stage === 'new' ? 'info' : 'neutral');

/** Re-renders every 15 s so countdowns and "ago" times stay true while the page is open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/**
 * The inbox rows: a table on wide screens, cards under 640 px (CSS only, the markup is the
 * same). Names and previews are the lead's own text: isolated (<bdi>) so right-to-left text
 * cannot reorder the columns around it.
 */
export function InboxList({ items, ownerName, fresh }: { items: LeadListItem[]; ownerName: (id: string) => string; fresh: ReadonlySet<string> }) {
  const now = useNow();
  return (
    <table className="inbox">
      <thead>
        <tr>
          <th scope="col">Lead</th>
          <th scope="col">Score</th>
          <th scope="col">Stage</th>
          <th scope="col">Owner</th>
          <th scope="col">SLA</th>
          <th scope="col">Channel</th>
          <th scope="col">Last message</th>
        </tr>
      </thead>
      <tbody>
        {items.map((lead) => {
          const heat = scoreHeat(lead.score);
          const sla = slaCountdown(lead.slaDueAt, now);
          const isNew = fresh.has(lead.id);
          return (
            <tr key={lead.id} data-lead-id={lead.id} className={isNew ? 'is-new' : undefined}>
              <td className="lead-cell">
                <div className="lead-line">
                  <Link to={`/leads/${lead.id}`} className="lead-name">
                    <bdi>{previewText(lead.contact.name, 60) || 'Unnamed lead'}</bdi>
                  </Link>
                  <LanguageTag language={lead.contact.language} />
                  {isNew ? (
                    <span className="badge badge-new" data-testid="new-marker">
                      new
                    </span>
                  ) : null}
                  {lead.needsReply ? <Badge tone="info">needs reply</Badge> : null}
                  {lead.optedOut ? <Badge tone="warn">opted out</Badge> : null}
                  {lead.alertCount > 0 ? <Badge tone="warn">{lead.alertCount === 1 ? '1 alert' : `${lead.alertCount} alerts`}</Badge> : null}
                </div>
                {lead.lastMessagePreview ? (
                  <p className="preview" title={previewText(lead.lastMessagePreview, 200)}>
                    <bdi>{previewText(lead.lastMessagePreview)}</bdi>
                  </p>
                ) : null}
              </td>
              <td data-label="Score">
                <span className={`heat heat-${heat}`} aria-label={lead.score === null ? 'not scored yet' : `score ${lead.score} of 100`}>
                  {lead.score ?? '—'}
                </span>
              </td>
              <td data-label="Stage">
                <Badge tone={stageTone(lead.stage)}>{lead.stage}</Badge>
              </td>
              <td data-label="Owner">{lead.ownerId ? ownerName(lead.ownerId) : <span className="muted">Unclaimed</span>}</td>
              <td data-label="SLA">
                {sla ? (
                  <span className={sla.overdue ? 'sla sla-overdue' : 'sla'} suppressHydrationWarning>
                    {sla.text}
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td data-label="Channel">
                <span className={`channel channel-label channel-${lead.channel}`}>{channelLabel(lead.channel)}</span>
              </td>
              <td data-label="Last message" className="muted when">
                <time dateTime={lead.lastMessageAt ?? lead.createdAt} suppressHydrationWarning>
                  {timeAgo(lead.lastMessageAt ?? lead.createdAt, now)}
                </time>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
