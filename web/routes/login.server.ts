import { z } from 'zod';
import { apiPost } from '~/lib/api.server';
import { clientAddressOf, safeRedirect, sessionCookie } from '~/lib/session.server';

export const SignInForm = z.object({
  email: z.string().trim().email('enter your e-mail address').max(254),
  password: z.string().min(1, 'enter your password').max(200),
  redirectTo: z.string().max(500).optional(),
});

export type SignInResult = { error: string; email: string };

/** Signs in through the API and keeps the session token in the httpOnly cookie. */
export async function signIn(request: Request): Promise<{ redirect: string; setCookie: string } | { status: number; result: SignInResult }> {
  const form = Object.fromEntries([...(await request.formData()).entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
  const parsed = SignInForm.safeParse(form);
  if (!parsed.success) return { status: 422, result: { error: parsed.error.issues[0]?.message ?? 'Invalid form', email: form.email ?? '' } };
  const res = await apiPost<{ token: string; expiresAt: string }>({ token: null, clientAddress: clientAddressOf(request) }, '/auth/login', { email: parsed.data.email, password: parsed.data.password });
  if (!res.ok) return { status: res.status, result: { error: res.message, email: parsed.data.email } };
  const maxAge = Math.max(60, Math.floor((Date.parse(res.data.expiresAt) - Date.now()) / 1000));
  return { redirect: safeRedirect(parsed.data.redirectTo), setCookie: await sessionCookie.serialize(res.data.token, { maxAge }) };
}
