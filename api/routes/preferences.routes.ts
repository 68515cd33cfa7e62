import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { UserRow } from '../../db/identity.entities';
import { UserRepository } from '../../db/user.repository';
import { badRequest, notFound } from '../../lib/errors';
import { forbidden, principal } from '../middleware/auth';
import { readJson } from '../middleware/raw-body';
import { currentEm } from '../orm';

// The signed-in user's own alert settings: which e-mails they get (the worker's alert mail step
// reads the same columns). The in-app toast is not a setting: it only shows while the app is open.

export const AlertPreferencesBody = z
  .object({
    /** A lead offered to me. */
    emailOffers: z.boolean().optional(),
    /** Missed claims and leads sent to the unclaimed pool (sent to managers). */
    emailEscalations: z.boolean().optional(),
    /** The daily digest of SLA misses (managers and admins only are sent it). */
    emailDigest: z.boolean().optional(),
  })
  .strict();

export const AlertPreferencesView = z.object({
  preferences: z.object({ emailOffers: z.boolean(), emailEscalations: z.boolean(), emailDigest: z.boolean() }),
});

const view = (u: UserRow): z.infer<typeof AlertPreferencesView>['preferences'] => ({ emailOffers: u.emailOffers, emailEscalations: u.emailEscalations, emailDigest: u.emailDigest });

async function me(ctx: Context): Promise<UserRow> {
  const p = principal(ctx);
  // The machine token acts for no person, so it has no preferences.
  if (p.role === 'system') throw forbidden('Preferences belong to a signed-in user');
  const user = await new UserRepository(currentEm()).findById(p.id);
  if (!user) throw notFound('User');
  return user;
}

export function preferencesRoutes() {
  const router = new Router({ prefix: '/me/preferences' });

  router.get('/', async (ctx) => {
    ctx.body = { preferences: view(await me(ctx)) };
  });

  router.put('/', async (ctx) => {
    const user = await me(ctx);
    const parsed = AlertPreferencesBody.safeParse(await readJson(ctx, 4 * 1024));
    if (!parsed.success) throw badRequest('Invalid body', z.treeifyError(parsed.error));
    const changes = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Partial<Pick<UserRow, 'emailOffers' | 'emailEscalations' | 'emailDigest'>>;
    ctx.body = { preferences: view(await new UserRepository(currentEm()).update(user, changes)) };
  });

  return router;
}
