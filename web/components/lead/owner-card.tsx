import { Form } from 'react-router';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Select } from '~/components/ui/input';
import { Time } from '~/components/ui/time';
import type { BrokerRef } from './lead-action.types';
import { Outcome } from './outcome';
import { brokerLabel, useFormOutcome, useMe } from './use-form-outcome';

export function OwnerCard({ ownerId, brokers, handoff, slaDueAt, followUpAt, replyDueAt }: {
  ownerId: string | null;
  brokers: BrokerRef[];
  handoff: { status: string; reason: string | null; offeredTo: string | null; escalations: number } | null;
  slaDueAt: string | null;
  followUpAt: string | null;
  replyDueAt: string | null;
}) {
  const claim = useFormOutcome('claim');
  const release = useFormOutcome('release');
  const available = brokers.filter((b) => b.active);
  const me = useMe();
  const manages = me?.role === 'admin' || me?.role === 'manager';
  return (
    <Card title="Owner & timers">
      <dl className="kv">
        <dt>Owner</dt>
        <dd data-testid="owner">{ownerId ? <strong>{brokerLabel(brokers, ownerId)}</strong> : <span>AI agent</span>}</dd>
        <dt>Handoff</dt>
        <dd>
          {handoff && handoff.status !== 'none' ? (
            <>
              <Badge tone={handoff.status === 'claimed' ? 'good' : 'warn'}>{handoff.status}</Badge>
              {handoff.reason ? <span className="muted"> {handoff.reason.replaceAll('_', ' ')}</span> : null}
              {handoff.offeredTo ? <span> · offered to {brokerLabel(brokers, handoff.offeredTo)}</span> : null}
              {handoff.escalations ? <span className="muted"> · {handoff.escalations} escalation(s)</span> : null}
            </>
          ) : (
            '—'
          )}
        </dd>
        <dt>SLA due</dt>
        <dd data-testid="sla-due">
          <Time iso={slaDueAt} due />
        </dd>
        <dt>Next follow-up</dt>
        <dd data-testid="next-follow-up">
          <Time iso={followUpAt} />
        </dd>
        {replyDueAt ? (
          <>
            <dt>Reply due</dt>
            <dd>
              <Time iso={replyDueAt} due />
            </dd>
          </>
        ) : null}
      </dl>
      <div className="actions">
        {ownerId ? (
          <Form method="post" className="inline-form" aria-label="Release lead">
            <input type="hidden" name="intent" value="release" />
            <Button type="submit" variant="secondary" disabled={release.pending}>
              {release.pending ? 'Releasing…' : 'Release to AI'}
            </Button>
            <span className="field-hint">The AI answers the lead again; another broker can claim it then.</span>
          </Form>
        ) : (
          <>
            {me?.brokerId ? (
              <Form method="post" className="inline-form" aria-label="Claim lead">
                <input type="hidden" name="intent" value="claim" />
                <Button type="submit" disabled={claim.pending}>
                  {claim.pending ? 'Claiming…' : 'Claim for me'}
                </Button>
              </Form>
            ) : null}
            {manages ? (
              <Form method="post" ref={claim.formRef} className="inline-form" aria-label="Assign lead">
                <input type="hidden" name="intent" value="claim" />
                <Field label="Assign to" htmlFor="claim-broker">
                  <Select id="claim-broker" name="brokerId" required defaultValue={claim.value('brokerId')}>
                    <option value="">Choose a broker…</option>
                    {available.map((b) => (
                      <option key={b.id} value={b.id}>
                        {b.name}
                        {b.paused ? ' (paused)' : ''}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Button type="submit" variant="secondary" disabled={claim.pending}>
                  Assign
                </Button>
              </Form>
            ) : null}
          </>
        )}
      </div>
      <Outcome error={claim.error} notice={claim.notice} testId="claim" />
      <Outcome error={release.error} notice={release.notice} testId="release" />
    </Card>
  );
}
