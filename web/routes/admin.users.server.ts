import { z } from 'zod';
import { apiFetch, apiGet, apiPost, type ApiAuth } from '~/lib/api.server';

export interface UserItem {
  id: string;
  email: string;
  name: string;
  role: string;
  brokerId: string | null;
  active: boolean;
  invited: boolean;
  paused: boolean | null;
  timeZone: string | null;
  workingHours: string | null;
}

export const listUsers = (auth: ApiAuth) => apiGet<{ items: UserItem[] }>(auth, '/users').then((r) => r.items);

const blank = (v: unknown) => (v === '' ? undefined : v);

const AdminForm = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('invite'),
    email: z.string().trim().email().max(254),
    name: z.string().trim().min(1).max(200),
    role: z.enum(['admin', 'manager', 'broker']),
    brokerId: z.preprocess(blank, z.string().max(64).optional()),
  }),
  z.object({ intent: z.literal('set-active'), userId: z.string().uuid(), active: z.enum(['true', 'false']).transform((v) => v === 'true') }),
  z.object({ intent: z.literal('set-paused'), userId: z.string().uuid(), paused: z.enum(['true', 'false']).transform((v) => v === 'true') }),
  z.object({
    intent: z.literal('hours'),
    userId: z.string().uuid(),
    timeZone: z.preprocess(blank, z.string().max(64).nullable().default(null)),
    workingHours: z.preprocess(blank, z.string().max(11).nullable().default(null)),
  }),
]);

export type AdminResult = { ok: boolean; message: string };

/** Every change goes to the API, which checks the caller is an admin. */
export async function adminAction(auth: ApiAuth, form: FormData): Promise<{ status: number; result: AdminResult }> {
  const parsed = AdminForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { status: 422, result: { ok: false, message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } };
  const cmd = parsed.data;
  if (cmd.intent === 'invite') {
    const { intent: _intent, ...body } = cmd;
    const res = await apiPost(auth, '/users/invitations', body);
    return res.ok ? { status: 201, result: { ok: true, message: `Invitation sent to ${cmd.email}` } } : { status: res.status, result: { ok: false, message: res.message } };
  }
  const { intent: _intent, userId, ...changes } = cmd;
  const res = await apiFetch(auth, `/users/${encodeURIComponent(userId)}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(changes) });
  if (res.ok) return { status: 200, result: { ok: true, message: 'Saved' } };
  const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return { status: res.status, result: { ok: false, message: json?.error?.message ?? res.statusText } };
}
