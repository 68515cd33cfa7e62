import { Badge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { Time } from '~/components/ui/time';
import type { BrokerRef } from './lead-action.types';
import type { ScoreView } from './score.model';
import { brokerLabel } from './use-form-outcome';

export function ScoreCard({ score, brokers }: { score: ScoreView; brokers: BrokerRef[] }) {
  const { override, model } = score;
  return (
    <Card title="Score">
      {score.value === null ? (
        <p className="muted">Not scored yet.</p>
      ) : (
        <div className="score" data-testid="score">
          {score.value}
          <span className="muted score-of"> / 100 </span>
          {score.qualified ? <Badge tone="good">qualified</Badge> : <Badge>not qualified</Badge>}
        </div>
      )}
      {override ? (
        <p className="score-override" data-testid="score-override">
          Set by hand{override.score === null ? '' : ` to ${override.score}`} and {override.qualified ? 'qualified' : 'disqualified'} by {brokerLabel(brokers, override.by)},{' '}
          <Time iso={override.at} withDate={false} />: “{override.reason}”
        </p>
      ) : null}
      {model ? (
        <>
          <h3 className="score-model-title" data-testid="score-model">
            {override ? `The model's assessment before the override: ${model.score}/100` : `How the score is made up: ${model.score}/100`}
          </h3>
          <table className="score-parts">
            <tbody>
              {model.parts.map((part) => (
                <tr key={part.key}>
                  <td>{part.label}</td>
                  <td className="score-points">
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
      ) : null}
    </Card>
  );
}
