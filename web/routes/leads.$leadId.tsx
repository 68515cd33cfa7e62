import { Form, Link, data, useActionData, useNavigation, useRevalidator, useRouteLoaderData } from 'react-router';
import { useEffect, useRef, type ReactNode } from 'react';
import { z } from 'zod';
import type { Route } from './+types/leads.$leadId';
import { Alert } from '~/components/ui/alert';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input, Select, Textarea } from '~/components/ui/input';
import { Time } from '~/components/ui/time';
import { money, timeAgo } from '~/lib/format';
import { ApiError } from '~/lib/api.server';
import { requireAuth } from '~/lib/session.server';
import type { loader as rootLoader } from '../root';
import { AddTaskInput, BrokerMessageInput, ClaimInput, MoveStageInput, OverrideQualificationInput } from '../../domain/lead-command.contract';
import { StageSchema, allowedMoves } from '../../domain/lead-stage.rules';
import { getLead, leadCommand, listBrokers, type BrokerItem, type CommandResult } from './leads.server';
import type { LeadTask } from '../../domain/lead-state.model';
import { SendUnit } from '~/components/send-unit';

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: `${loaderData?.lead.contact.name ?? 'Lead'} · Leadline` }];

export async function loader({ params, context }: Route.LoaderArgs) {
  const auth = requireAuth(context);
  try {
    // The broker list only feeds the pickers: the page still works (read-only names) without it.
    const [lead, brokers] = await Promise.all([getLead(auth, params.leadId), listBrokers(auth).catch(() => [] as BrokerItem[])]);
    return data({ ...lead, brokers });
  } catch (err) {
    if (err instanceof ApiError) throw data(err.message, { status: err.status });
    throw err;
  }
}

// ---- The action: one form per command, told apart by `intent`, each checked with the domain's own schemas. ----

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

const LeadActionForm = z.discriminatedUnion('intent', [
  // No broker: "claim for me". A manager or admin may name one (assigning the lead); the API decides who may.
  z.object({ intent: z.literal('claim'), brokerId: z.preprocess(blankToUndefined, ClaimInput.shape.brokerId.optional()) }),
  z.object({ intent: z.literal('release') }),
  z.object({ intent: z.literal('move-stage'), stage: MoveStageInput.shape.stage, reason: MoveStageInput.shape.reason }),
  z.object({
    intent: z.literal('qualify'),
    qualified: z.enum(['true', 'false']).transform((v) => v === 'true'),
    score: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(100).optional()),
    reason: OverrideQualificationInput.shape.reason,
  }),
  z.object({
    intent: z.literal('add-task'),
    title: AddTaskInput.shape.title,
    // <input type="datetime-local"> has no zone: the browser adds its offset (minutes east of UTC) beside it.
    dueLocal: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'pick a due date and time'),
    tzOffset: z.preprocess(blankToUndefined, z.coerce.number().int().min(-900).max(900).default(0)),
    assignee: z.preprocess(blankToUndefined, ClaimInput.shape.brokerId.optional()),
  }),
  z.object({ intent: z.literal('complete-task'), taskId: z.string().min(1).max(80) }),
  z.object({ intent: z.literal('message'), text: BrokerMessageInput.shape.text }),
]);
type Intent = z.infer<typeof LeadActionForm>['intent'];

export type LeadActionResult =
  | { ok: true; intent: string; taskId?: string; notice: string }
  | { ok: false; intent: string; taskId?: string; error: { code: string; message: string }; values: Record<string, string> };

/** `2026-05-01T09:30` at +240 minutes → `2026-05-01T09:30:00+04:00`. */
function withOffset(local: string, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local.length === 16 ? `${local}:00` : local}${sign}${hhmm}`;
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const auth = requireAuth(context);
  const form = await request.formData();
  const values = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
  const intent = values.intent ?? 'unknown';
  const taskId = values.taskId;
  const parsed = LeadActionForm.safeParse(values);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ');
    return data<LeadActionResult>({ ok: false, intent, taskId, error: { code: 'invalid_input', message }, values }, { status: 422 });
  }
  const cmd = parsed.data;
  const leadId = params.leadId;
  let result: CommandResult;
  let notice: string;
  switch (cmd.intent) {
    case 'claim':
      result = await leadCommand(auth, leadId, 'claim', cmd.brokerId ? { brokerId: cmd.brokerId } : {});
      notice = cmd.brokerId ? `Assigned to ${cmd.brokerId}` : `Claimed by ${auth.user.name}`;
      break;
    case 'release':
      result = await leadCommand(auth, leadId, 'release');
      notice = 'Released to the AI agent';
      break;
    case 'move-stage':
      result = await leadCommand(auth, leadId, 'stage', { stage: cmd.stage, reason: cmd.reason });
      notice = `Moved to ${cmd.stage}`;
      break;
    case 'qualify':
      result = await leadCommand(auth, leadId, 'qualify', { qualified: cmd.qualified, reason: cmd.reason, ...(cmd.score === undefined ? {} : { score: cmd.score }) });
      notice = cmd.qualified ? 'Marked qualified' : 'Marked not qualified';
      break;
    case 'add-task':
      result = await leadCommand(auth, leadId, 'tasks', { title: cmd.title, dueAt: withOffset(cmd.dueLocal, cmd.tzOffset), ...(cmd.assignee ? { assignee: cmd.assignee } : {}) });
      notice = 'Task added';
      break;
    case 'complete-task':
      result = await leadCommand(auth, leadId, `tasks/${encodeURIComponent(cmd.taskId)}/complete`);
      notice = 'Task completed';
      break;
    case 'message':
      result = await leadCommand(auth, leadId, 'messages', { text: cmd.text });
      notice = 'Message sent';
      break;
  }
  if (!result.ok) return data<LeadActionResult>({ ok: false, intent, taskId, error: { code: result.code, message: result.message }, values }, { status: result.status });
  return data<LeadActionResult>({ ok: true, intent, taskId, notice });
}

// ---- Page ----

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

/** The outcome of the last submission of this form (matched by intent, and task for per-task forms). */
function useFormOutcome(intent: Intent, taskId?: string) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const mine = actionData && actionData.intent === intent && (taskId === undefined || actionData.taskId === taskId) ? actionData : undefined;
  const pending = navigation.state !== 'idle' && navigation.formData?.get('intent') === intent && (taskId === undefined || navigation.formData?.get('taskId') === taskId);
  // Clear the form only once its command went through; a rejection keeps every typed character.
  useEffect(() => {
    if (mine?.ok) formRef.current?.reset();
  }, [mine]);
  return {
    formRef,
    pending,
    error: mine && !mine.ok ? mine.error : null,
    notice: mine?.ok ? mine.notice : null,
    // Only a refused submission sets default values (for the no-JS round trip). Otherwise none: React
    // re-applies a select's defaultValue on hydration and would undo a choice made before the scripts ran.
    value: (name: string) => (mine && !mine.ok ? mine.values[name] : undefined),
  };
}

function Outcome({ error, notice, testId }: { error: { code: string; message: string } | null; notice: string | null; testId: string }) {
  if (error)
    return (
      <Alert testId={`${testId}-error`}>
        <code>{error.code}</code>: {error.message}
      </Alert>
    );
  return notice ? (
    <Alert tone="success" testId={`${testId}-notice`}>
      {notice}
    </Alert>
  ) : null;
}

/** The signed-in user (from the root loader): decides which forms to offer. The API decides what goes through. */
const useMe = () => useRouteLoaderData<typeof rootLoader>('root')?.user ?? null;

const ACTION_LABELS: Record<string, string> = {
  'lead.claim': 'claimed the lead',
  'lead.release': 'released the lead to the AI',
  'lead.stage': 'moved the stage',
  'lead.qualify': 'overrode the qualification',
  'lead.task_add': 'added a task',
  'lead.task_complete': 'completed a task',
  'lead.message': 'sent a message',
};

function historyText(h: { action: string; details: Record<string, unknown> }, brokers: BrokerItem[]): string {
  const base = ACTION_LABELS[h.action] ?? h.action;
  const d = h.details;
  if (h.action === 'lead.claim' && typeof d.brokerId === 'string') return `${base} for ${brokerLabel(brokers, d.brokerId)}`;
  if (h.action === 'lead.stage' && typeof d.stage === 'string') return `${base} to ${d.stage}`;
  if (h.action === 'lead.qualify') return `${d.qualified ? 'qualified' : 'disqualified'} the lead${typeof d.score === 'number' ? ` (score ${d.score})` : ''}`;
  return base;
}

function HistoryCard({ history, brokers }: { history: Array<{ id: string; action: string; actorName: string; actorRole: string; details: Record<string, unknown>; at: string }>; brokers: BrokerItem[] }) {
  return (
    <Card title="Who did what">
      {history.length === 0 ? (
        <p className="muted">No broker actions yet.</p>
      ) : (
        <ol className="history" data-testid="history">
          {history.map((h) => (
            <li key={h.id}>
              <strong>{h.actorName}</strong> <span className="muted small">({h.actorRole})</span> {historyText(h, brokers)} <span className="muted small">· {timeAgo(h.at)}</span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

const brokerLabel = (brokers: BrokerItem[], id: string | null | undefined) => {
  if (!id) return null;
  const b = brokers.find((x) => x.id === id);
  return b ? `${b.name} (${b.id})` : id;
};

function OwnerCard({ ownerId, brokers, handoff, slaDueAt, followUpAt, replyDueAt }: {
  ownerId: string | null;
  brokers: BrokerItem[];
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

function StageCard({ stage, stageReason, brokers, override }: {
  stage: string;
  stageReason: string | null;
  brokers: BrokerItem[];
  override: { qualified: boolean; reason: string; by: string; at: string } | null;
}) {
  const move = useFormOutcome('move-stage');
  const qualify = useFormOutcome('qualify');
  const me = useMe();
  const manages = me?.role === 'admin' || me?.role === 'manager';
  const parsedStage = StageSchema.safeParse(stage);
  const moves = parsedStage.success ? allowedMoves(parsedStage.data) : [];
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
          <code>{complete.error.code}</code>: {complete.error.message}
        </Alert>
      ) : null}
    </Form>
  );
}

function TasksCard({ tasks, brokers }: { tasks: LeadTask[]; brokers: BrokerItem[] }) {
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

function Composer({ ownerId, optedOut }: { ownerId: string | null; optedOut: boolean }) {
  const send = useFormOutcome('message');
  return (
    <Form method="post" ref={send.formRef} className="stack composer" aria-label="Send message">
      <input type="hidden" name="intent" value="message" />
      <Field
        label="Message the lead"
        htmlFor="message-text"
        hint={optedOut ? 'The lead opted out: messages are refused.' : ownerId ? "Sent on the lead's channel as the owner." : 'Claim the lead before messaging it; the AI answers while nobody owns it.'}
      >
        <Textarea id="message-text" name="text" required maxLength={4096} rows={3} placeholder="Write to the lead…" defaultValue={send.value('text')} />
      </Field>
      <div>
        <Button type="submit" disabled={send.pending}>
          {send.pending ? 'Sending…' : 'Send'}
        </Button>
      </div>
      <Outcome error={send.error} notice={send.notice} testId="message" />
    </Form>
  );
}

function Section({ children }: { children: ReactNode }) {
  return <div className="grid">{children}</div>;
}

export default function LeadDetailPage({ loaderData }: Route.ComponentProps) {
  const { lead, profile, qualification, timeline, workflow, brokers, history } = loaderData;
  const me = useMe();
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const busy = navigation.state !== 'idle';
  // Live view: the workflow answers within seconds, so refresh while the page is open (not mid-submit).
  useEffect(() => {
    const id = setInterval(() => {
      if (!busy && revalidator.state === 'idle') void revalidator.revalidate();
    }, 3000);
    return () => clearInterval(id);
  }, [revalidator, busy]);

  const state = workflow.state;
  const stage = state?.stage ?? lead.stage;
  const ownerId = state ? state.ownerId : lead.ownerId;
  const transcript = state?.transcript ?? timeline.filter((a) => a.type === 'message').map((a) => ({ id: a.id, from: a.actor, text: a.body ?? '', at: a.at }));
  // Files the lead sent, by the message that carried them: opened through this app (the API checks access).
  const files = new Map(
    timeline.flatMap((a) => {
      const media = (a.meta as { media?: { id?: string } } | null)?.media;
      return media?.id ? [[a.providerId ?? a.id, media.id] as const] : [];
    }),
  );
  return (
    <>
      <p>
        <Link to="/leads">← Lead Inbox</Link>
      </p>
      <h1>
        {lead.contact.name ?? 'Unnamed lead'} <Badge tone="info">{stage}</Badge> {ownerId ? <Badge tone="good">owned by {brokerLabel(brokers, ownerId)}</Badge> : <Badge>AI agent</Badge>}
      </h1>
      {workflow.error ? <Alert>Live workflow state unavailable: {workflow.error}. Commands may fail until it is back.</Alert> : null}
      <Section>
        <OwnerCard
          ownerId={ownerId}
          brokers={brokers}
          handoff={state?.handoff ?? null}
          slaDueAt={state ? state.handoff.slaDueAt : lead.slaDueAt}
          followUpAt={state ? state.followUp.dueAt : lead.nextFollowUpAt}
          replyDueAt={state?.brokerReply.dueAt ?? null}
        />
        <StageCard stage={stage} stageReason={state?.stageReason ?? null} brokers={brokers} override={state?.qualificationOverride ?? null} />
      </Section>
      <div className="grid grid-wide">
        <Card title="Conversation">
          <div className="transcript" data-testid="transcript">
            {transcript.length === 0 ? <p className="muted">No messages yet.</p> : null}
            {transcript.map((m) => (
              <div key={m.id} className={`bubble ${m.from}`}>
                {m.text}
                {files.has(m.id) ? (
                  <>
                    {' '}
                    <a href={`/leads/${lead.id}/media/${files.get(m.id)}`} download>
                      Open file
                    </a>
                  </>
                ) : null}
                <span className="meta">
                  {m.from} · {timeAgo(m.at)}
                </span>
              </div>
            ))}
          </div>
          <Composer ownerId={ownerId} optedOut={state?.optedOut ?? false} />
        </Card>
        <TasksCard tasks={state?.tasks ?? []} brokers={brokers} />
      </div>
      <HistoryCard history={history} brokers={brokers} />
      <Section>
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
            <dd>{stage}</dd>
            <dt>Turns</dt>
            <dd>{state?.turns ?? '—'}</dd>
            <dt>Next question</dt>
            <dd>{state?.askedFor ?? '—'}</dd>
          </dl>
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
      </Section>
      <SendUnit leadId={lead.id} />
      {state?.matches.length ? (
        <Card title="Matching units">
          <table>
            <tbody>
              {state.matches.map((m) => (
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
