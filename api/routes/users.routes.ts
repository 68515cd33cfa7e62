import Router from '@koa/router';
import type { Context } from 'koa';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AuditLogRepository } from '../../db/audit-log.repository';
import { BrokerRepository } from '../../db/broker.repository';
import { SessionRepository } from '../../db/session.repository';
import { UserRepository } from '../../db/user.repository';
import { USER_ROLES } from '../../domain/access.policy';
import { commandInputs } from '../../domain/lead-command.contract';
import { AppError, badRequest, notFound } from '../../lib/errors';
import { requirePermission } from '../middleware/auth';
import { readJson } from '../middleware/raw-body';
import { currentEm } from '../orm';
import { userView, type IdentityService } from '../services/identity.service';

const TimeZone = z.string().max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Asia/Dubai');
const WorkingHours = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM-HH:MM');

export const InviteBody = z
  .object({
    email: z.string().trim().toLowerCase().email().max(254),
    name: z.string().trim().min(1).max(200),
    role: z.enum(USER_ROLES),
    /** An existing broker to link; a broker invitee without one gets a new broker row. */
    brokerId: commandInputs().BrokerId.optional(),
    timeZone: TimeZone.optional(),
    workingHours: WorkingHours.optional(),
  })
  .strict();

export const UpdateUserBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: z.enum(USER_ROLES).optional(),
    active: z.boolean().optional(),
    /** Pauses lead routing to the user's broker (they keep their leads). */
    paused: z.boolean().optional(),
    timeZone: TimeZone.nullable().optional(),
    workingHours: WorkingHours.nullable().optional(),
  })
  .strict();

async function body<T>(ctx: Context, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJson(ctx, 16 * 1024));
  if (!parsed.success) throw badRequest('Invalid body', z.treeifyError(parsed.error));
  return parsed.data;
}

// Admins manage people: invite, change role, deactivate (which ends their sessions at once),
// pause routing, working hours and time zone.
export function usersRoutes(deps: { identity: IdentityService }) {
  const router = new Router({ prefix: '/users' });

  router.get('/', async (ctx) => {
    requirePermission(ctx, 'users:manage');
    const [users, brokers] = await Promise.all([new UserRepository(currentEm()).list(), new BrokerRepository(currentEm()).list()]);
    const paused = new Map(brokers.map((b) => [b.id, b.paused]));
    ctx.body = { items: users.map((u) => ({ ...userView(u), paused: u.brokerId ? (paused.get(u.brokerId) ?? false) : null })) };
  });

  router.post('/invitations', async (ctx) => {
    const admin = requirePermission(ctx, 'users:manage');
    const input = await body(ctx, InviteBody);
    const repo = new UserRepository(currentEm());
    if (await repo.findByEmail(input.email)) throw new AppError('user_exists', 409, 'A user with this e-mail address already exists');
    let brokerId = input.brokerId ?? null;
    if (brokerId) {
      if (!(await new BrokerRepository(currentEm()).find(brokerId))) throw notFound('Broker', { brokerId });
      if (await repo.findByBroker(brokerId)) throw new AppError('broker_linked', 409, 'That broker is already linked to another user', { brokerId });
    } else if (input.role === 'broker') {
      brokerId = `broker-${randomBytes(4).toString('hex')}`;
      await repo.createBroker(brokerId, input.name);
    }
    const user = await repo.create({ ...input, brokerId });
    await deps.identity.sendInvitation(user);
    await new AuditLogRepository(currentEm()).record({ actorId: admin.id, actorRole: admin.role, action: 'user.invite', details: { userId: user.id, role: user.role, brokerId } });
    ctx.status = 201;
    ctx.body = { user: userView(user) };
  });

  router.patch('/:id', async (ctx) => {
    const admin = requirePermission(ctx, 'users:manage');
    const id = z.string().uuid().safeParse(ctx.params.id);
    if (!id.success) throw badRequest('User id must be a UUID');
    const input = await body(ctx, UpdateUserBody);
    const repo = new UserRepository(currentEm());
    const user = await repo.findById(id.data);
    if (!user) throw notFound('User', { id: id.data });
    if (user.id === admin.id && (input.active === false || (input.role && input.role !== 'admin'))) {
      throw new AppError('forbidden', 403, 'Admins cannot deactivate or demote themselves');
    }
    const { paused, ...changes } = input;
    await repo.update(user, changes);
    if (user.brokerId && (paused !== undefined || input.active !== undefined)) {
      await repo.setBrokerState(user.brokerId, { ...(paused === undefined ? {} : { paused }), ...(input.active === undefined ? {} : { active: input.active }) });
    }
    // Deactivation takes effect on the next request: every session ends now.
    const revoked = input.active === false ? await new SessionRepository(currentEm()).revokeAllFor(user.id) : 0;
    await new AuditLogRepository(currentEm()).record({ actorId: admin.id, actorRole: admin.role, action: 'user.update', details: { userId: user.id, fields: Object.keys(input), sessionsRevoked: revoked } });
    ctx.body = { user: userView(user) };
  });

  return router;
}
