import { Link, useFetcher } from 'react-router';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import type { SendUnitResult } from '../routes/inventory.server';

/**
 * "Send to lead" on the lead page: a unit by its reference, sent through the inventory page's
 * action (POST /leads/:id/units behind it), or a search of the inventory with this lead picked.
 */
export function SendUnit({ leadId }: { leadId: string }) {
  const fetcher = useFetcher<SendUnitResult>();
  const busy = fetcher.state !== 'idle';
  const result = fetcher.data;
  return (
    <Card title="Send a unit" actions={<Link to={`/inventory?lead=${encodeURIComponent(leadId)}`}>Search inventory</Link>}>
      <fetcher.Form method="post" action="/inventory" className="row" aria-label="Send a unit to this lead">
        <input type="hidden" name="intent" value="send" />
        <input type="hidden" name="leadId" value={leadId} />
        <Field label="Unit ref" htmlFor="send-unit-id" hint="e.g. U0001, from the inventory page">
          <Input id="send-unit-id" name="unitId" required maxLength={64} />
        </Field>
        <div>
          <Button type="submit" variant="secondary" disabled={busy}>
            {busy ? 'Sending…' : 'Send to lead'}
          </Button>
        </div>
      </fetcher.Form>
      {result ? (
        <Alert tone={result.ok ? 'success' : 'error'} testId="send-unit-result">
          {result.ok ? result.notice : `Not sent: ${result.error.message}`}
        </Alert>
      ) : null}
    </Card>
  );
}
