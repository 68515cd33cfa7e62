import Router from '@koa/router';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { LeadRepository } from '../../db/lead.repository';
import type { Lead } from '../../db/entities';
import { AppError, badRequest, notFound } from '../../lib/errors';
import type { Env } from '../../lib/env';
import type { LeadState } from '../../domain/lead-state.reducer';
import { currentEm } from '../orm';

export const ListLeadsQuery = z.object({
  status: z.string().min(1).max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const LeadIdParam = z.string().uuid();

export function leadSummary(lead: Lead) {
  return {
    id: lead.id,
    workflowId: lead.workflowId,
    channel: lead.channel,
    stage: lead.status,
    score: lead.score,
    qualified: lead.qualified,
    ownerId: lead.ownerId,
    market: lead.market,
    contact: { id: lead.contact.id, name: lead.contact.name ?? null },
    lastMessageAt: lead.lastMessageAt?.toISOString() ?? null,
    lastMessagePreview: lead.lastMessagePreview,
    createdAt: lead.createdAt.toISOString(),
  };
}

export function temporalUiUrl(env: Env, workflowId: string) {
  return `${env.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}

export function leadsRoutes(deps: { temporal: Client; env: Env }) {
  const router = new Router();

  router.get('/leads', async (ctx) => {
    const parsed = ListLeadsQuery.safeParse(ctx.query);
    if (!parsed.success) throw badRequest('Invalid query', z.treeifyError(parsed.error));
    const { items, total } = await new LeadRepository(currentEm()).listLeads(parsed.data);
    ctx.body = { items: items.map(leadSummary), total, limit: parsed.data.limit, offset: parsed.data.offset };
  });

  router.get('/leads/:id', async (ctx) => {
    const id = LeadIdParam.safeParse(ctx.params.id);
    if (!id.success) throw badRequest('Lead id must be a UUID', { id: ctx.params.id });
    const repo = new LeadRepository(currentEm());
    const lead = await repo.findLead(id.data);
    if (!lead) throw notFound('Lead', { id: id.data });
    const [profile, qualification, timeline] = await Promise.all([
      repo.profileOf(lead.id),
      repo.latestQualification(lead.id),
      repo.timeline(lead.id),
    ]);
    ctx.body = {
      lead: {
        ...leadSummary(lead),
        contact: {
          id: lead.contact.id,
          name: lead.contact.name,
          phone: lead.contact.phone,
          email: lead.contact.email,
          waId: lead.contact.waId,
        },
        source: lead.source,
      },
      profile: profile ? { ...profile, lead: undefined } : null,
      qualification: qualification
        ? { score: qualification.score, qualified: qualification.qualified, breakdown: qualification.breakdown, reasons: qualification.reasons, at: qualification.createdAt }
        : null,
      timeline: timeline.map((a) => ({
        id: a.id,
        type: a.type,
        actor: a.actor,
        direction: a.direction,
        body: a.body,
        deliveryStatus: a.deliveryStatus,
        meta: a.meta,
        at: a.createdAt.toISOString(),
      })),
      workflow: await workflowView(deps, lead.workflowId),
    };
  });

  return router;
}

async function workflowView(deps: { temporal: Client; env: Env }, workflowId: string) {
  const uiUrl = temporalUiUrl(deps.env, workflowId);
  const handle = deps.temporal.workflow.getHandle(workflowId);
  try {
    const [description, state] = await Promise.all([handle.describe(), handle.query<LeadState>('state')]);
    return { id: workflowId, runId: description.runId, status: description.status.name, uiUrl, state, error: null };
  } catch (err) {
    // The stored lead is still worth showing when Temporal is unreachable or the run is gone.
    const message = err instanceof AppError ? err.message : (err as Error).message;
    return { id: workflowId, runId: null, status: 'UNAVAILABLE', uiUrl, state: null, error: message };
  }
}
