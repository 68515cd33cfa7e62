import { Form, Link, data, redirect, useActionData, useNavigation, useSearchParams } from 'react-router';
import type { Route } from './+types/login';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import { authContext, safeRedirect } from '~/lib/session.server';
import { signIn } from './login.server';

export const meta: Route.MetaFunction = () => [{ title: 'Sign in · Leadline' }];

export function loader({ context, request }: Route.LoaderArgs) {
  if (context.get(authContext)) throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')));
  return null;
}

export async function action({ request }: Route.ActionArgs) {
  const outcome = await signIn(request);
  if ('redirect' in outcome) throw redirect(outcome.redirect, { headers: { 'set-cookie': outcome.setCookie } });
  return data(outcome.result, { status: outcome.status });
}

export default function LoginPage() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const pending = useNavigation().state !== 'idle';
  const notice = params.get('notice');
  return (
    <div className="auth-card">
      <Card title="Sign in to Leadline">
        {notice === 'password-set' ? (
          <Alert tone="success" testId="login-notice">
            Your password is set. Sign in with it.
          </Alert>
        ) : null}
        {notice === 'signed-out' ? (
          <Alert tone="success" testId="login-notice">
            You are signed out.
          </Alert>
        ) : null}
        <Form method="post" aria-label="Sign in">
          <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
          <Field label="E-mail" htmlFor="login-email">
            <Input id="login-email" name="email" type="email" autoComplete="username" required defaultValue={result?.email} />
          </Field>
          <Field label="Password" htmlFor="login-password">
            <Input id="login-password" name="password" type="password" autoComplete="current-password" required />
          </Field>
          {result?.error ? <Alert testId="login-error">{result.error}</Alert> : null}
          <Button type="submit" disabled={pending}>
            {pending ? 'Signing in…' : 'Sign in'}
          </Button>
          <Link to="/forgot-password">Forgot your password?</Link>
        </Form>
      </Card>
    </div>
  );
}
