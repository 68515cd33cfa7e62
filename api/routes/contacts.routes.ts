import Router from '@koa/router';
import { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { AuditLogRepository } from '../../db/audit-log.repository';
import { ContactExportRepository } from '../../db/contact-export.repository';
import { ErasureRepository } from '../../db/erasure.repository';
import { erasureWorkflowId, type ErasureInput, type ErasureResult } from '../../domain/erasure.types';
import { AppError, badRequest, notFound } from '../../lib/errors';
import type { Env } from '../../lib/env';
import { requirePermission } from '../middleware/auth';
import { currentEm } from '../orm';
import type { contactErasureWorkflow } from '../../workflows/contact-erasure.workflow';

// Data rights (#12), for admins: everything held about a person as one JSON download, and the
// one action that erases it everywhere (the erasure workflow does the work, in order; this
// waits for it). Both go into the audit log; neither writes personal data there.

const ContactIdParam = z.string().uuid();
/** An admin's erase waits this long for the workflow, then answers 202 (it goes on by itself). */
const ERASE_WAIT_MS = 120_000;

export function contactsRoutes(deps: { orm: MikroORM; temporal: Client; env: Env }) {
  const router = new Router();

  const contactId = (raw: string | undefined) => {
    const id = ContactIdParam.safeParse(raw);
    if (!id.success) throw badRequest('Contact id must be a UUID', { id: raw ?? null });
    return id.data;
  };

  router.get('/contacts/:id/export', async (ctx) => {
    const p = requirePermission(ctx, 'data:rights');
    const id = contactId(ctx.params.id);
    const data = await new ContactExportRepository(currentEm()).export(id);
    if (!data) throw notFound('Contact', { id });
    await new AuditLogRepository(currentEm()).record({ actorId: p.id, actorRole: p.role, action: 'contact.export', leadId: null, details: { contactId: id, leads: data.leads.length } });
    ctx.set('Content-Disposition', `attachment; filename="contact-${id}.json"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = data;
  });

  router.post('/contacts/:id/erase', async (ctx) => {
    const p = requirePermission(ctx, 'data:rights');
    const id = contactId(ctx.params.id);
    const [exists] = await currentEm().getConnection().execute<{ id: string }[]>('select id from contacts where id = ?', [id]);
    if (!exists) throw notFound('Contact', { id });
    const input: ErasureInput = { contactId: id, leadIds: null, reason: 'request', actor: { id: p.id, role: p.role } };
    // One erasure per contact at a time; asking again once it finished runs it again (a no-op).
    const handle = await deps.temporal.workflow.start<typeof contactErasureWorkflow>('contactErasureWorkflow', {
      workflowId: erasureWorkflowId.contact(id),
      taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      staticSummary: 'Erasure (request)',
    });
    const timeout = new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ERASE_WAIT_MS).unref());
    const result = await Promise.race([handle.result() as Promise<ErasureResult>, timeout]).catch((err: unknown) => {
      throw new AppError('erasure_failed', 502, 'The erasure did not finish; it can be asked for again', { workflowId: handle.workflowId, reason: (err as Error).message });
    });
    if (result === 'pending') {
      ctx.status = 202;
      ctx.body = { erasure: { status: 'running', workflowId: handle.workflowId } };
      return;
    }
    // What stays: the leads as anonymous statistics, so the admin sees what the erase left behind.
    const anonymousLeads = await new ErasureRepository(currentEm()).anonymousLeads(result.leadIds);
    ctx.body = { erasure: { status: 'done', workflowId: handle.workflowId, ...result, anonymousLeads } };
  });

  return router;
}
