import { z } from 'zod';
import { apiFetch, apiGet, type ApiAuth } from '~/lib/api.server';

export interface AlertPreferences {
  emailOffers: boolean;
  emailEscalations: boolean;
  emailDigest: boolean;
}

export const getPreferences = (auth: ApiAuth) => apiGet<{ preferences: AlertPreferences }>(auth, '/me/preferences').then((r) => r.preferences);

// A checkbox is sent only when ticked: its absence means off.
const PreferencesForm = z.object({ emailOffers: z.literal('on').optional(), emailEscalations: z.literal('on').optional(), emailDigest: z.literal('on').optional() });

export type SettingsResult = { ok: boolean; message: string };

/** Saves the signed-in user's alert e-mail choices through the API, which owns them. */
export async function savePreferences(auth: ApiAuth, form: FormData, digestEditable: boolean): Promise<{ status: number; result: SettingsResult }> {
  const parsed = PreferencesForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { status: 422, result: { ok: false, message: 'Those settings could not be read; reload the page and try again.' } };
  // Brokers are never sent the digest and see no box for it: their form leaves the setting as it is.
  const body: Partial<AlertPreferences> = {
    emailOffers: parsed.data.emailOffers === 'on',
    emailEscalations: parsed.data.emailEscalations === 'on',
    ...(digestEditable && { emailDigest: parsed.data.emailDigest === 'on' }),
  };
  const res = await apiFetch(auth, '/me/preferences', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.ok) return { status: 200, result: { ok: true, message: 'Saved' } };
  const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return { status: res.status, result: { ok: false, message: json?.error?.message ?? res.statusText } };
}
