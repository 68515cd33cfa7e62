import { Form, useNavigation, useRouteLoaderData } from 'react-router';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import type { loader as rootLoader } from '../../root';
import { SamePersonNote } from './same-person-note';

/** The word an admin types to confirm an erase: a slip of the mouse must never erase a person. */
export const ERASE_CONFIRMATION = 'ERASE';

/**
 * What may be done with the person behind a lead (#12): everyone sees a "possible same person"
 * note with a Merge button; admins also get erase, behind a typed confirmation. The form posts
 * to its own route (`/contacts/:id/erase`), which calls the API and shows what is left; the API
 * refuses anyone but an admin, so hiding it from others is a courtesy, not the guard.
 */
export function ContactDataActions({ contactId, leadId }: { contactId: string; leadId: string }) {
  const me = useRouteLoaderData<typeof rootLoader>('root')?.user ?? null;
  return (
    <>
      <SamePersonNote contactId={contactId} />
      {me?.role === 'admin' ? (
        <details className="danger-zone" data-testid="erase-contact">
          <summary>Erase contact…</summary>
          <EraseContactForm contactId={contactId} leadId={leadId} />
        </details>
      ) : null}
    </>
  );
}

export function EraseContactForm({ contactId, leadId }: { contactId: string; leadId?: string }) {
  const navigation = useNavigation();
  const action = `/contacts/${encodeURIComponent(contactId)}/erase`;
  const pending = navigation.state !== 'idle' && navigation.formAction === action;
  return (
    <Form method="post" action={action} className="stack" aria-label="Erase contact">
      <p className="small">
        Removes this person&apos;s name, numbers, messages and files from every table, the raw webhooks, Redis and the
        workflow history (its key is destroyed), for <strong>every lead</strong> of the contact. The leads stay only as
        anonymous statistics. This cannot be undone: export the data first if the person asked for a copy.
      </p>
      {/* The browser checks the word (pattern) and so does the route's action: no script needed either way. */}
      {leadId ? <input type="hidden" name="leadId" value={leadId} /> : null}
      <Field label={`Type ${ERASE_CONFIRMATION} to confirm`} htmlFor="erase-confirm">
        <Input id="erase-confirm" name="confirm" required autoComplete="off" pattern={ERASE_CONFIRMATION} title={`Type ${ERASE_CONFIRMATION} in capitals`} />
      </Field>
      <div>
        <Button type="submit" variant="danger" disabled={pending}>
          {pending ? 'Erasing…' : 'Erase this contact'}
        </Button>
      </div>
    </Form>
  );
}
