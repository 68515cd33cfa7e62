import { Form } from 'react-router';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input, Select } from '~/components/ui/input';
import { allowedMoves, isStage } from '../../../domain/lead-stage.rules';
import type { BrokerRef } from './lead-action.types';
import { Outcome } from './outcome';
import { brokerLabel, useFormOutcome, useMe } from './use-form-outcome';

export function StageCard({ stage, stageReason, brokers, override }: {
  stage: string;
  stageReason: string | null;
  brokers: BrokerRef[];
  override: { qualified: boolean; reason: string; by: string; at: string } | null;
}) {
  const move = useFormOutcome('move-stage');
  const qualify = useFormOutcome('qualify');
  const me = useMe();
  const manages = me?.role === 'admin' || me?.role === 'manager';
  const moves = isStage(stage) ? allowedMoves(stage) : [];
  return (
    <Card title="Stage & qualification">
      <p className="stage-line">
        Stage <Badge tone="info">{stage}</Badge>
        {stageReason ? <span className="muted"> — {stageReason}</span> : null}
      </p>
      {moves.length ? (
        <Form method="post" ref={move.formRef} className="stack" aria-label="Move stage">
          <input type="hidden" name="intent" value="move-stage" />
          <div className="row">
            <Field label="Move to" htmlFor="move-stage">
              <Select id="move-stage" name="stage" required defaultValue={move.value('stage')}>
                <option value="">
                  Next stage…
                </option>
                {moves.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Reason" htmlFor="move-reason">
              <Input id="move-reason" name="reason" required maxLength={500} placeholder="e.g. viewing booked for Saturday" defaultValue={move.value('reason')} />
            </Field>
          </div>
          <div>
            <Button type="submit" disabled={move.pending}>
              {move.pending ? 'Moving…' : 'Move stage'}
            </Button>
          </div>
          <Outcome error={move.error} notice={move.notice} testId="move-stage" />
        </Form>
      ) : (
        <p className="muted">No manual moves from {stage}.</p>
      )}
      <hr />
      {override ? (
        <p className="muted small">
          Manually {override.qualified ? 'qualified' : 'disqualified'} by {brokerLabel(brokers, override.by)}: “{override.reason}”
        </p>
      ) : null}
      {manages ? (
      <Form method="post" ref={qualify.formRef} className="stack" aria-label="Qualify lead">
        <input type="hidden" name="intent" value="qualify" />
        <div className="row">
          <Field label="Decision" htmlFor="qualify-decision">
            <Select id="qualify-decision" name="qualified" defaultValue={qualify.value('qualified')}>
              <option value="true">Qualify</option>
              <option value="false">Disqualify</option>
            </Select>
          </Field>
          <Field label="Score (optional)" htmlFor="qualify-score">
            <Input id="qualify-score" name="score" type="number" min={0} max={100} inputMode="numeric" defaultValue={qualify.value('score')} />
          </Field>
        </div>
        <Field label="Reason" htmlFor="qualify-reason">
          <Input id="qualify-reason" name="reason" required maxLength={500} placeholder="e.g. spoke on the phone, pre-approved" defaultValue={qualify.value('reason')} />
        </Field>
        <div>
          <Button type="submit" variant="secondary" disabled={qualify.pending}>
            {qualify.pending ? 'Saving…' : 'Save qualification'}
          </Button>
        </div>
        <Outcome error={qualify.error} notice={qualify.notice} testId="qualify" />
      </Form>
      ) : (
        <p className="muted small">Managers and admins override a qualification.</p>
      )}
    </Card>
  );
}
