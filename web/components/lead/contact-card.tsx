import { Badge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { timeAgo } from '~/lib/format';
import type { LeadDetail } from '../../../domain/lead-summary.schema';
import { ContactDataActions } from './contact-data-actions';
import { useMe } from './use-form-outcome';

export function ContactCard({ lead }: { lead: LeadDetail['lead'] }) {
  const me = useMe();
  return (
    <Card
      title="Contact"
      actions={
        // Data rights are the admins' (the API enforces it; the link is a courtesy).
        me?.role === 'admin' ? (
          <a href={`/contacts/${encodeURIComponent(lead.contact.id)}/export`} download data-testid="export-contact">
            Export data ↓
          </a>
        ) : undefined
      }
    >
      <dl className="kv">
        <dt>Phone</dt>
        <dd>
          {lead.contact.phone ?? lead.contact.claimed?.phone ?? '—'}
          {!lead.contact.phone && lead.contact.claimed?.phone ? <Badge tone="warn">typed in chat, unverified</Badge> : null}
          {lead.contact.phoneRaw ? <span className="muted"> (given as {lead.contact.phoneRaw})</span> : null}
        </dd>
        <dt>Email</dt>
        <dd>
          {lead.contact.email ?? lead.contact.claimed?.email ?? '—'}
          {!lead.contact.email && lead.contact.claimed?.email ? <Badge tone="warn">typed in chat, unverified</Badge> : null}
        </dd>
        <dt>Channel</dt>
        <dd>{lead.channel}</dd>
        <dt>Market</dt>
        <dd>{lead.market}</dd>
        <dt>Created</dt>
        <dd suppressHydrationWarning>{timeAgo(lead.createdAt)}</dd>
      </dl>
      <ContactDataActions contactId={lead.contact.id} leadId={lead.id} />
    </Card>
  );
}
