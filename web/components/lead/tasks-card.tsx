import { useRef } from 'react';
import { Form } from 'react-router';
import { Alert } from '~/components/ui/alert';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input, Select } from '~/components/ui/input';
import { Time } from '~/components/ui/time';
import { timeAgo } from '~/lib/format';
import { errorSentence } from '~/lib/error-text';
import type { LeadTask } from '../../../domain/lead-state.model';
import type { BrokerRef } from './lead-action.types';
import { Outcome } from './outcome';
import { brokerLabel, useFormOutcome } from './use-form-outcome';

function CompleteTaskButton({ task }: { task: LeadTask }) {
  const complete = useFormOutcome('complete-task', task.id);
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value="complete-task" />
      <input type="hidden" name="taskId" value={task.id} />
      <Button type="submit" size="sm" variant="secondary" disabled={complete.pending} aria-label={`Complete ${task.title}`}>
        {complete.pending ? '…' : 'Done'}
      </Button>
      {complete.error ? (
        <Alert testId="complete-task-error">
          <span data-code={complete.error.code}>{errorSentence(complete.error.code, complete.error.message)}</span>
        </Alert>
      ) : null}
    </Form>
  );
}

export function TasksCard({ tasks, brokers }: { tasks: LeadTask[]; brokers: BrokerRef[] }) {
  const add = useFormOutcome('add-task');
  const tzRef = useRef<HTMLInputElement>(null);
  // The browser knows its own offset for the chosen date (DST included); the server does not.
  const setOffset = (local: string) => {
    if (tzRef.current && local) tzRef.current.value = String(-new Date(local).getTimezoneOffset());
  };
  const sorted = [...tasks].sort((a, b) => Number(!!a.completedAt) - Number(!!b.completedAt) || a.dueAt.localeCompare(b.dueAt));
  return (
    <Card title={`Tasks (${tasks.filter((t) => !t.completedAt).length} open)`}>
      {sorted.length ? (
        <table data-testid="tasks">
          <tbody>
            {sorted.map((t) => (
              <tr key={t.id} data-task-id={t.id} className={t.completedAt ? 'done' : ''}>
                <td>
                  <div className="task-title">{t.title}</div>
                  <div className="muted small">{brokerLabel(brokers, t.assignee) ?? 'unassigned'}</div>
                </td>
                <td>{t.completedAt ? <span className="muted">completed {timeAgo(t.completedAt)}</span> : <Time iso={t.dueAt} due />}</td>
                <td style={{ width: 1 }}>{t.completedAt ? <Badge tone="good">done</Badge> : <CompleteTaskButton task={t} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No tasks yet.</p>
      )}
      <Form
        method="post"
        ref={add.formRef}
        className="stack add-task"
        aria-label="Add task"
        onSubmit={(e) => setOffset((e.currentTarget.elements.namedItem('dueLocal') as HTMLInputElement | null)?.value ?? '')}
      >
        <input type="hidden" name="intent" value="add-task" />
        <input type="hidden" name="tzOffset" ref={tzRef} defaultValue={add.value('tzOffset') ?? ''} />
        <Field label="New task" htmlFor="task-title">
          <Input id="task-title" name="title" required maxLength={200} placeholder="e.g. Call back about the Marina 2BR" defaultValue={add.value('title')} />
        </Field>
        <div className="row">
          <Field label="Due" htmlFor="task-due">
            <Input id="task-due" name="dueLocal" type="datetime-local" required defaultValue={add.value('dueLocal')} />
          </Field>
          <Field label="Assignee" htmlFor="task-assignee">
            <Select id="task-assignee" name="assignee" defaultValue={add.value('assignee')}>
              <option value="">Lead owner</option>
              {brokers.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <div>
          <Button type="submit" disabled={add.pending}>
            {add.pending ? 'Adding…' : 'Add task'}
          </Button>
        </div>
        <Outcome error={add.error} notice={add.notice} testId="add-task" />
      </Form>
    </Card>
  );
}
