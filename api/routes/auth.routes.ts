import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { UserRepository } from '../../db/user.repository';
import { badRequest } from '../../lib/errors';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../lib/password';
import { principal } from '../middleware/auth';
import { readJson } from '../middleware/raw-body';
import { currentEm } from '../orm';
import { userView, type IdentityService } from '../services/identity.service';

const Email = z.string().trim().toLowerCase().email().max(254);
export const SignInBody = z.object({ email: Email, password: z.string().min(1).max(PASSWORD_MAX) }).strict();
export const ResetRequestBody = z.object({ email: Email }).strict();
export const NewPassword = z.string().min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`).max(PASSWORD_MAX);
export const SetPasswordBody = z.object({ token: z.string().min(20).max(200), password: NewPassword }).strict();

async function body<T>(ctx: Context, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJson(ctx, 16 * 1024));
  if (!parsed.success) throw badRequest('Invalid body', z.treeifyError(parsed.error));
  return parsed.data;
}

// The web app's sign-in door. It answers with the session token, which the web server keeps
// in an httpOnly cookie and forwards on every call; the browser's scripts never see it.
export function authRoutes(deps: { identity: IdentityService }) {
  const router = new Router({ prefix: '/auth' });

  router.post('/login', async (ctx) => {
    const { email, password } = await body(ctx, SignInBody);
    ctx.body = await deps.identity.signIn(email, password, ctx.ip);
  });

  router.post('/logout', async (ctx) => {
    const p = principal(ctx);
    if (ctx.state.sessionTokenHash) await deps.identity.signOut(p, ctx.state.sessionTokenHash as string);
    ctx.status = 204;
  });

  router.get('/me', async (ctx) => {
    const p = principal(ctx);
    const user = p.role === 'system' ? null : await new UserRepository(currentEm()).findById(p.id);
    ctx.body = { user: user ? userView(user) : { id: p.id, name: p.name, role: p.role, brokerId: null } };
  });

  router.post('/password-reset', async (ctx) => {
    const { email } = await body(ctx, ResetRequestBody);
    await deps.identity.requestReset(email, ctx.ip);
    ctx.status = 202;
    ctx.body = { accepted: true };
  });

  router.get('/password/:token', async (ctx) => {
    const token = z.string().min(20).max(200).safeParse(ctx.params.token);
    if (!token.success) throw badRequest('Invalid link');
    ctx.body = await deps.identity.describeLink(token.data);
  });

  router.post('/password', async (ctx) => {
    const { token, password } = await body(ctx, SetPasswordBody);
    ctx.body = await deps.identity.setPassword(token, password);
  });

  return router;
}
