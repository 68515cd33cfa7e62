import { Card } from '~/components/ui/card';
import { money } from '~/lib/format';
import type { LeadDetail } from '../../../domain/lead-summary.schema';

export function WorkflowCard({ workflow, stage }: { workflow: LeadDetail['workflow']; stage: string }) {
  const state = workflow.state;
  return (
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
          <code className="break">{workflow.id}</code>
        </dd>
        <dt>Status</dt>
        <dd>{workflow.status}</dd>
        <dt>Stage</dt>
        <dd>{stage}</dd>
        <dt>Turns</dt>
        <dd>{state?.turns ?? '—'}</dd>
        <dt>Next question</dt>
        <dd>{state?.askedFor ?? '—'}</dd>
      </dl>
    </Card>
  );
}

export function MatchesCard({ matches }: { matches: NonNullable<LeadDetail['workflow']['state']>['matches'] }) {
  if (!matches.length) return null;
  return (
    <Card title="Matching units">
      <table>
        <tbody>
          {matches.map((m) => (
            <tr key={m.unitId}>
              <td>{m.title}</td>
              <td>{money(m.price, m.currency)}</td>
              <td className="muted">match {m.score}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
