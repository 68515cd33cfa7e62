import { Form } from 'react-router';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { Textarea } from '~/components/ui/input';
import { Outcome } from './outcome';
import { useFormOutcome } from './use-form-outcome';

/** The broker's reply box. A lead who opted out gets a banner instead of a working Send. */
export function Composer({ ownerId, optedOut }: { ownerId: string | null; optedOut: boolean }) {
  const send = useFormOutcome('message');
  return (
    <Form method="post" ref={send.formRef} className="stack composer" aria-label="Send message">
      {optedOut ? (
        <div className="opt-out-banner" role="status" data-testid="opt-out-banner">
          <strong>The lead opted out.</strong> They asked not to be messaged: nothing can be sent to them from here. Call only if they asked you to.
        </div>
      ) : null}
      <input type="hidden" name="intent" value="message" />
      <Field label="Message the lead" htmlFor="message-text" hint={optedOut ? null : ownerId ? "Sent on the lead's channel as the owner." : 'Claim the lead before messaging it; the AI answers while nobody owns it.'}>
        <Textarea id="message-text" name="text" required maxLength={4096} rows={3} placeholder={optedOut ? 'Messaging is off: the lead opted out' : 'Write to the lead…'} defaultValue={send.value('text')} disabled={optedOut} />
      </Field>
      <div>
        <Button type="submit" disabled={optedOut || send.pending}>
          {send.pending ? 'Sending…' : 'Send'}
        </Button>
      </div>
      <Outcome error={send.error} notice={send.notice} testId="message" />
    </Form>
  );
}
