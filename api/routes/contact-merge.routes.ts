import Router from '@koa/router';
import { z } from 'zod';
import { AuditLogRepository } from '../../db/audit-log.repository';
import { ContactMergeRepository } from '../../db/contact-merge.repository';
import { can, type Principal } from '../../domain/access.policy';
import { MergeContactBody, type MergeResult, type SamePersonView } from '../../domain/contact-merge.schema';
import { AppError, badRequest, notFound } from '../../lib/errors';
import { forbidden, principal } from '../middleware/auth';
import { readJson } from '../middleware/raw-body';
import { currentEm } from '../orm';

// A broker merges a web chat contact into the contact that owns the number or address it typed
// (#12): the other way, besides a one-time code, for a chat to reach a person's existing lead.
// Managers and admins may merge any two; a broker only contacts whose lead they own.

const ContactIdParam = z.uuid();

const MERGE_REFUSALS = {
  erased: ['contact_erased', 'An erased contact cannot be merged'],
  not_mergeable: ['not_mergeable', 'Only a contact whose phone and e-mail were typed, not proven (a web chat visitor), can be merged into another'],
  already_merged: ['already_merged', 'This contact was already merged into another contact'],
  into_merged: ['target_merged', 'The target was itself merged into another contact: merge into that one'],
} as const;

export function contactMergeRoutes() {
  const router = new Router();

  const contactId = (raw: string | undefined, field = 'id') => {
    const id = ContactIdParam.safeParse(raw);
    if (!id.success) throw badRequest('Contact id must be a UUID', { [field]: raw ?? null });
    return id.data;
  };

  /** Managers and admins; otherwise a broker who owns a live lead of one of the contacts. */
  async function mayMerge(p: Principal, repo: ContactMergeRepository, contactIds: string[]): Promise<boolean> {
    if (can(p, 'leads:reassign')) return true;
    if (p.role !== 'broker' || !p.brokerId) return false;
    return (await repo.leadOwners(contactIds)).includes(p.brokerId);
  }

  router.get('/contacts/:id/same-person', async (ctx) => {
    const p = principal(ctx);
    const id = contactId(ctx.params.id);
    const repo = new ContactMergeRepository(currentEm());
    if (!can(p, 'leads:see-all')) {
      if (p.role !== 'broker' || !p.brokerId) throw forbidden('Only brokers, managers and admins see contacts', { role: p.role });
      // A broker sees what they would see of the leads: the pool and their own.
      if (!(await repo.visibleToBroker(id, p.brokerId))) throw forbidden('This contact belongs to another broker', { id });
    }
    const view = await repo.samePerson(id);
    if (!view) throw notFound('Contact', { id });
    ctx.body = view satisfies SamePersonView;
  });

  router.post('/contacts/:id/merge', async (ctx) => {
    const p = principal(ctx);
    const id = contactId(ctx.params.id);
    const parsed = MergeContactBody.safeParse(await readJson(ctx, 4 * 1024));
    if (!parsed.success) throw badRequest('Invalid merge request', z.treeifyError(parsed.error));
    const { intoContactId } = parsed.data;
    if (intoContactId === id) throw new AppError('same_contact', 400, 'A contact cannot be merged into itself', { id, intoContactId });
    const repo = new ContactMergeRepository(currentEm());
    if (!(await mayMerge(p, repo, [id, intoContactId]))) throw forbidden('Managers and admins merge contacts; a broker only those whose lead they own', { id, intoContactId });
    const outcome = await repo.merge(id, intoContactId);
    if (!outcome.ok) {
      if (outcome.reason === 'unknown') throw notFound('Contact', { [outcome.which]: outcome.which === 'contactId' ? id : intoContactId });
      const [code, message] = MERGE_REFUSALS[outcome.reason];
      throw new AppError(code, 409, message, { id, intoContactId });
    }
    if (outcome.changed)
      await new AuditLogRepository(currentEm()).record({
        actorId: p.id,
        actorRole: p.role,
        action: 'contact.merge',
        leadId: outcome.linkedLeadIds[0] ?? null,
        details: { contactId: id, intoContactId, movedSessions: outcome.movedSessions, linkedLeadIds: outcome.linkedLeadIds },
      });
    ctx.body = { merge: { contactId: id, intoContactId, movedSessions: outcome.movedSessions, linkedLeadIds: outcome.linkedLeadIds, changed: outcome.changed } } satisfies MergeResult;
  });

  return router;
}
