import { Card } from '~/components/ui/card';
import { timeAgo } from '~/lib/format';
import { AUDIT_ACTION_LABELS } from './conversation.model';
import type { BrokerRef } from './lead-action.types';
import { brokerLabel } from './use-form-outcome';

// The audit log on its own, with roles: the conversation shows the same actions in time order.

interface HistoryRow {
  id: string;
  action: string;
  actorName: string;
  actorRole: string;
  details: Record<string, unknown>;
  at: string;
}

function historyText(h: HistoryRow, brokers: BrokerRef[]): string {
  const base = AUDIT_ACTION_LABELS[h.action] ?? h.action;
  const d = h.details;
  if (h.action === 'lead.claim' && typeof d.brokerId === 'string') return `${base} for ${brokerLabel(brokers, d.brokerId)}`;
  if (h.action === 'lead.stage' && typeof d.stage === 'string') return `${base} to ${d.stage}`;
  if (h.action === 'lead.qualify') return `${d.qualified ? 'qualified' : 'disqualified'} the lead${typeof d.score === 'number' ? ` (score ${d.score})` : ''}`;
  return base;
}

export function HistoryCard({ history, brokers }: { history: HistoryRow[]; brokers: BrokerRef[] }) {
  return (
    <Card title="Who did what">
      {history.length === 0 ? (
        <p className="muted">No broker actions yet.</p>
      ) : (
        <ol className="history" data-testid="history">
          {history.map((h) => (
            <li key={h.id}>
              <strong>{h.actorName}</strong> <span className="muted small">({h.actorRole})</span> {historyText(h, brokers)}{' '}
              <span className="muted small" suppressHydrationWarning>
                · {timeAgo(h.at)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
