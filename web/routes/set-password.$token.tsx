import { Form, Link, data, redirect, useActionData, useNavigation } from 'react-router';
import { z } from 'zod';
import type { Route } from './+types/set-password.$token';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import { ApiError, apiGet, apiPost } from '~/lib/api.server';
import { clientAddressOf } from '~/lib/session.server';

// Where invitation and password-reset e-mails lead: the one-time token in the path lets the
// person choose a password, once.
export const meta: Route.MetaFunction = () => [{ title: 'Choose your password · Leadline' }, { name: 'referrer', content: 'no-referrer' }];

export async function loader({ params, request }: Route.LoaderArgs) {
  try {
    const link = await apiGet<{ purpose: string; name: string; email: string }>({ token: null, clientAddress: clientAddressOf(request) }, `/auth/password/${encodeURIComponent(params.token)}`);
    return { valid: true as const, ...link };
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) return { valid: false as const, message: err.message };
    throw err;
  }
}

const PasswordForm = z
  .object({ password: z.string().min(12, 'at least 12 characters').max(200), confirm: z.string() })
  .refine((f) => f.password === f.confirm, { message: 'the two passwords differ', path: ['confirm'] });

export async function action({ params, request }: Route.ActionArgs) {
  const parsed = PasswordForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, { status: 422 });
  const res = await apiPost({ token: null, clientAddress: clientAddressOf(request) }, '/auth/password', { token: params.token, password: parsed.data.password });
  if (!res.ok) return data({ error: res.message }, { status: res.status });
  throw redirect('/login?notice=password-set');
}

export default function SetPasswordPage({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const pending = useNavigation().state !== 'idle';
  if (!loaderData.valid)
    return (
      <div className="auth-card">
        <Card title="This link no longer works">
          <Alert testId="link-expired">{loaderData.message}</Alert>
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>
          </p>
        </Card>
      </div>
    );
  return (
    <div className="auth-card">
      <Card title={loaderData.purpose === 'invite' ? `Welcome, ${loaderData.name}` : 'Choose a new password'}>
        <p className="muted">For {loaderData.email}</p>
        <Form method="post" aria-label="Set password">
          <Field label="New password" htmlFor="new-password" hint="At least 12 characters.">
            <Input id="new-password" name="password" type="password" autoComplete="new-password" minLength={12} required />
          </Field>
          <Field label="Repeat it" htmlFor="confirm-password">
            <Input id="confirm-password" name="confirm" type="password" autoComplete="new-password" minLength={12} required />
          </Field>
          {result?.error ? <Alert testId="set-password-error">{result.error}</Alert> : null}
          <Button type="submit" disabled={pending}>
            Save password
          </Button>
        </Form>
      </Card>
    </div>
  );
}
