import { Form, data, useActionData } from 'react-router';
import type { Route } from './+types/settings';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { requireAuth } from '~/lib/session.server';
import { getPreferences, savePreferences } from './settings.server';

export const meta: Route.MetaFunction = () => [{ title: 'Settings · Leadline' }];

/** Only managers and admins are sent the SLA digest, so only they see its box. */
const getsDigest = (role: string) => role === 'manager' || role === 'admin';

export async function loader({ context }: Route.LoaderArgs) {
  const auth = requireAuth(context);
  return { preferences: await getPreferences(auth), digest: getsDigest(auth.user.role) };
}

export async function action({ context, request }: Route.ActionArgs) {
  const auth = requireAuth(context);
  const { status, result } = await savePreferences(auth, await request.formData(), getsDigest(auth.user.role));
  return data(result, { status });
}

export default function SettingsPage({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const { preferences, digest } = loaderData;
  return (
    <>
      <h1>Settings</h1>
      {result ? <Alert tone={result.ok ? 'success' : 'error'} testId="settings-result">{result.message}</Alert> : null}
      <Card title="Alert e-mails">
        <Form method="post" className="stack" aria-label="Alert e-mails">
          <label className="check">
            <input type="checkbox" name="emailOffers" defaultChecked={preferences.emailOffers} /> E-mail me when a lead is offered to me
          </label>
          <label className="check">
            <input type="checkbox" name="emailEscalations" defaultChecked={preferences.emailEscalations} /> E-mail me about missed claims and leads in the unclaimed pool (managers)
          </label>
          {digest ? (
            <label className="check">
              <input type="checkbox" name="emailDigest" defaultChecked={preferences.emailDigest} /> E-mail me a daily digest of SLA misses (claims missed, leads sent to the pool)
            </label>
          ) : null}
          <p className="muted small">While Leadline is open, offers also show on screen, and as desktop alerts once you allow them.</p>
          <div>
            <Button type="submit">Save</Button>
          </div>
        </Form>
      </Card>
    </>
  );
}
