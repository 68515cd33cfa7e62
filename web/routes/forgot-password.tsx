import { Form, Link, data, useActionData, useNavigation } from 'react-router';
import { z } from 'zod';
import type { Route } from './+types/forgot-password';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import { apiPost } from '~/lib/api.server';
import { clientAddressOf } from '~/lib/session.server';

export const meta: Route.MetaFunction = () => [{ title: 'Reset your password · Leadline' }];

export async function action({ request }: Route.ActionArgs) {
  const email = z.string().trim().email().max(254).safeParse((await request.formData()).get('email'));
  if (!email.success) return data({ ok: false as const, error: 'Enter your e-mail address' }, { status: 422 });
  const res = await apiPost({ token: null, clientAddress: clientAddressOf(request) }, '/auth/password-reset', { email: email.data });
  if (!res.ok) return data({ ok: false as const, error: res.message }, { status: res.status });
  return data({ ok: true as const, error: null });
}

export default function ForgotPasswordPage() {
  const result = useActionData<typeof action>();
  const pending = useNavigation().state !== 'idle';
  return (
    <div className="auth-card">
      <Card title="Reset your password">
        {result?.ok ? (
          <Alert tone="success" testId="reset-sent">
            If that address has an account, a link to choose a new password is on its way. It works once, for one hour.
          </Alert>
        ) : (
          <Form method="post" aria-label="Reset password">
            <Field label="E-mail" htmlFor="reset-email">
              <Input id="reset-email" name="email" type="email" autoComplete="username" required />
            </Field>
            {result?.error ? <Alert>{result.error}</Alert> : null}
            <Button type="submit" disabled={pending}>
              Send me a link
            </Button>
          </Form>
        )}
        <p>
          <Link to="/login">Back to sign in</Link>
        </p>
      </Card>
    </div>
  );
}
