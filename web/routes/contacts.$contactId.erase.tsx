import { Link, data, useActionData } from 'react-router';
import { z } from 'zod';
import type { Route } from './+types/contacts.$contactId.erase';
import { ERASE_CONFIRMATION, EraseContactForm } from '~/components/lead/contact-data-actions';
import { Alert } from '~/components/ui/alert';
import { Badge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { timeAgo } from '~/lib/format';
import { requireAuth } from '~/lib/session.server';
import { eraseContact, type EraseOutcome } from './contacts.$contactId.erase.server';

// Erasing a contact (data rights, #12): the lead page's "Erase contact…" form posts here. The
// result is its own page because the lead page cannot show an erased lead any more (the API no
// longer serves it); what is left of it, the anonymous statistic, is listed here instead.

export const meta: Route.MetaFunction = () => [{ title: 'Erase contact · Leadline' }];

const EraseForm = z.object({
  confirm: z.literal(ERASE_CONFIRMATION, { error: `type ${ERASE_CONFIRMATION} to confirm` }),
  leadId: z.string().uuid().optional(),
});

type ActionResult = (EraseOutcome & { leadId?: string }) | { ok: false; status: 422; code: 'not_confirmed'; message: string; leadId?: string };

export function loader({ params, context }: Route.LoaderArgs) {
  requireAuth(context);
  return { contactId: params.contactId };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const auth = requireAuth(context);
  const form = Object.fromEntries([...(await request.formData()).entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
  const parsed = EraseForm.safeParse({ confirm: form.confirm?.trim(), leadId: form.leadId || undefined });
  const leadId = z.string().uuid().safeParse(form.leadId).data;
  if (!parsed.success) return data<ActionResult>({ ok: false, status: 422, code: 'not_confirmed', message: `Nothing was erased: type ${ERASE_CONFIRMATION} to confirm.`, leadId }, { status: 422 });
  const outcome = await eraseContact(auth, params.contactId);
  return data<ActionResult>({ ...outcome, leadId }, { status: outcome.ok ? 200 : outcome.status });
}

export default function EraseContactPage({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const back = result?.leadId ? `/leads/${result.leadId}` : '/leads';
  if (result?.ok && result.erasure.status === 'done') {
    const e = result.erasure;
    return (
      <>
        <h1>Contact erased</h1>
        <Alert tone="success" testId="erase-done">
          The person&apos;s data is gone from every table, the raw webhooks and Redis; {e.destroyedKeys} workflow key(s) were destroyed, so their
          histories no longer decode.{e.suppressed ? ' They had opted out: only a hashed suppression entry remains, so they are never contacted again.' : ''}
        </Alert>
        <Card title="What is left: anonymous statistics">
          <table data-testid="anonymous-leads">
            <thead>
              <tr>
                <th>Lead</th>
                <th>Channel</th>
                <th>Stage</th>
                <th>Market</th>
                <th>Score</th>
                <th>Created</th>
                <th>Erased</th>
              </tr>
            </thead>
            <tbody>
              {e.anonymousLeads.map((l) => (
                <tr key={l.id} data-lead-id={l.id}>
                  <td>
                    <code>{l.id}</code> <Badge>anonymous</Badge>
                  </td>
                  <td>{l.channel}</td>
                  <td>{l.stage}</td>
                  <td>{l.market}</td>
                  <td>{l.score ?? '—'}</td>
                  <td>{timeAgo(l.createdAt)}</td>
                  <td>{l.erasedAt ? timeAgo(l.erasedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">
            {e.redactedEvents} raw webhook record(s) redacted. Only counts, stages and dates are kept: no name, number or text.
          </p>
        </Card>
        <p>
          <Link to="/leads">← Lead Inbox</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Erase contact</h1>
      {result?.ok ? (
        <Alert tone="success" testId="erase-running">
          The erasure is still running (<code>{result.erasure.status === 'running' ? result.erasure.workflowId : ''}</code>); it finishes by itself.
        </Alert>
      ) : null}
      {result && !result.ok ? (
        <Alert testId="erase-error">
          <code>{result.code}</code>: {result.message}
        </Alert>
      ) : null}
      <Card title="Erase everything held about this contact">
        <EraseContactForm contactId={loaderData.contactId} leadId={result?.leadId} />
      </Card>
      <p>
        <Link to={back}>← Back</Link>
      </p>
    </>
  );
}
