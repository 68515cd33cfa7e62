import { useEffect, useState } from 'react';
import { Link, useFetcher } from 'react-router';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import type { loader as samePersonLoader } from '~/routes/contacts.$contactId.same-person';
import type { action as mergeAction } from '~/routes/contacts.$contactId.merge';
import type { SamePersonCandidate } from '../../../domain/contact-merge.schema';

// "Possible same person" on the lead page (#12): a web chat visitor typed a number or address that
// another contact owns (or the other way round). Typing proves nothing, so nothing is joined by
// itself; a broker who knows it is one person merges them here (the API checks who may).

function CandidateRow({ contactId, candidate }: { contactId: string; candidate: SamePersonCandidate }) {
  const merge = useFetcher<typeof mergeAction>();
  const [confirming, setConfirming] = useState(false);
  // The contact whose details were only typed is the one merged away.
  const [source, into] = candidate.direction === 'into-other' ? [contactId, candidate.contactId] : [candidate.contactId, contactId];
  const lead = candidate.leads[0];
  const what = candidate.matchedOn === 'phone' ? 'phone number' : 'e-mail address';
  const text =
    candidate.direction === 'into-other'
      ? `This chat typed the ${what} of another contact${lead ? ` (a ${lead.channel} lead, ${lead.stage})` : ''}.`
      : `A web chat typed this contact's ${what}${lead ? ` (its ${lead.channel} lead is ${lead.stage})` : ''}.`;
  const result = merge.data;
  if (result?.ok)
    return (
      <Alert tone="success" testId="merge-done">
        Merged: the web chat now continues with {candidate.direction === 'into-other' ? 'the other contact' : 'this contact'}; its lead stays, linked.
      </Alert>
    );
  return (
    <div className="same-person" data-testid="same-person" data-contact-id={candidate.contactId}>
      <p>
        <strong>Possible same person.</strong> {text} {lead ? <Link to={`/leads/${lead.id}`}>Open lead</Link> : null}
      </p>
      <merge.Form method="post" action={`/contacts/${encodeURIComponent(source)}/merge`} className="inline-form" aria-label="Merge contacts">
        <input type="hidden" name="intoContactId" value={into} />
        {confirming ? (
          <>
            <Button type="submit" size="sm" variant="danger" disabled={merge.state !== 'idle'}>
              {merge.state !== 'idle' ? 'Merging…' : 'Yes, merge them'}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </>
        ) : (
          <Button size="sm" variant="secondary" onClick={() => setConfirming(true)}>
            Merge…
          </Button>
        )}
      </merge.Form>
      {result && !result.ok ? (
        <Alert testId="merge-error">
          <code>{result.error.code}</code>: {result.error.message}
        </Alert>
      ) : null}
    </div>
  );
}

export function SamePersonNote({ contactId }: { contactId: string }) {
  const view = useFetcher<typeof samePersonLoader>();
  const path = `/contacts/${encodeURIComponent(contactId)}/same-person`;
  useEffect(() => {
    if (view.state === 'idle' && !view.data) void view.load(path);
  }, [view, path]);
  const data = view.data?.ok ? view.data.view : null;
  if (!data) return null;
  if (data.mergedInto)
    return (
      <p className="muted small" data-testid="merged-into">
        Merged into another contact (the same person): new chat messages go to that contact&apos;s lead.
      </p>
    );
  return (
    <>
      {data.candidates.map((c) => (
        <CandidateRow key={c.contactId} contactId={contactId} candidate={c} />
      ))}
    </>
  );
}
