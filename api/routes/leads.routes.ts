import Router from '@koa/router';
import { type Client } from '@temporalio/client';
import { AuditLogRepository } from '../../db/audit-log.repository';
import { LeadRepository } from '../../db/lead.repository';
import { LeadInboxRepository } from '../../db/lead-inbox.repository';
import { LeadListQuery, describeQueryError } from '../../domain/lead-inbox.schema';
import type { Lead } from '../../db/entities';
import { AppError, badRequest, notFound } from '../../lib/errors';
import type { Env } from '../../lib/env';
import type { LeadState } from '../../domain/lead-state.model';
import { LeadSummary, type LeadDetail, type LeadPage } from '../../domain/lead-summary.schema';
import { can, canSeeLead } from '../../domain/access.policy';
import { forbidden, principal } from '../middleware/auth';
import { currentEm } from '../orm';
import { LeadIdParam } from './lead-command.runner';

/** Checked against the schema the OpenAPI document and the web app share. */
export function leadSummary(lead: Lead): LeadSummary {
  return LeadSummary.parse({
    id: lead.id,
    workflowId: lead.workflowId,
    channel: lead.channel,
    stage: lead.status,
    score: lead.score,
    qualified: lead.qualified,
    ownerId: lead.ownerId,
    market: lead.market,
    contact: { id: lead.contact.id, name: lead.contact.name ?? null, language: lead.contact.language ?? null },
    lastMessageAt: lead.lastMessageAt?.toISOString() ?? null,
    lastMessagePreview: lead.lastMessagePreview,
    nextFollowUpAt: lead.nextFollowUpAt?.toISOString() ?? null,
    slaDueAt: lead.slaDueAt?.toISOString() ?? null,
    alertCount: lead.alertCount ?? 0,
    lastAlertAt: lead.lastAlertAt?.toISOString() ?? null,
    createdAt: lead.createdAt.toISOString(),
  });
}

export function temporalUiUrl(env: Env, workflowId: string) {
  return `${env.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}

export function leadsRoutes(deps: { temporal: Client; env: Env }) {
  const router = new Router();

  router.get('/leads', async (ctx) => {
    const parsed = LeadListQuery.safeParse(ctx.query);
    if (!parsed.success) {
      const { message, details } = describeQueryError(parsed.error);
      throw badRequest(message, details);
    }
    const query = parsed.data;
    const p = principal(ctx);
    const page = { limit: query.limit, offset: query.cursor ? 0 : query.offset };
    if (!can(p, 'leads:see-all') && !p.brokerId) {
      ctx.body = { items: [], total: 0, ...page, nextCursor: null } satisfies LeadPage;
      return;
    }
    const visibleToBroker = can(p, 'leads:see-all') ? undefined : (p.brokerId ?? undefined);
    const result = await new LeadInboxRepository(currentEm()).list({ ...query, visibleToBroker, me: p.brokerId });
    if ('error' in result) throw badRequest('Invalid query: cursor (not from this sort; start again from the first page)', { cursor: 'stale or from another sort' });
    ctx.body = {
      items: result.items.map(({ lead, flags }) => ({ ...leadSummary(lead), ...flags })),
      total: result.total,
      ...page,
      nextCursor: result.nextCursor,
    } satisfies LeadPage;
  });

  router.get('/leads/:id', async (ctx) => {
    const id = LeadIdParam.safeParse(ctx.params.id);
    if (!id.success) throw badRequest('Lead id must be a UUID', { id: ctx.params.id });
    const repo = new LeadRepository(currentEm());
    const lead = await repo.findLead(id.data);
    if (!lead) throw notFound('Lead', { id: id.data });
    // The workflow is the authority on who owns the lead; the row may lag a claim by a moment.
    const workflow = await workflowView(deps, lead.workflowId);
    if (!canSeeLead(principal(ctx), { ownerId: workflow.state ? workflow.state.ownerId : lead.ownerId })) throw forbidden('This lead belongs to another broker', { id: id.data });
    const [profile, qualification, timeline, history] = await Promise.all([
      repo.profileOf(lead.id),
      repo.latestQualification(lead.id),
      repo.timeline(lead.id),
      new AuditLogRepository(currentEm()).forLead(lead.id),
    ]);
    ctx.body = {
      lead: {
        ...leadSummary(lead),
        contact: {
          id: lead.contact.id,
          name: lead.contact.name ?? null,
          language: lead.contact.language ?? null,
          phone: lead.contact.phone ?? null,
          email: lead.contact.email ?? null,
          waId: lead.contact.waId ?? null,
          phoneRaw: lead.contact.phoneRaw && lead.contact.phoneRaw !== lead.contact.phone ? lead.contact.phoneRaw : null,
          claimed: lead.contact.claimedAt
            ? { name: lead.contact.claimedName ?? null, phone: lead.contact.claimedPhone ?? null, email: lead.contact.claimedEmail ?? null, at: lead.contact.claimedAt.toISOString() }
            : null,
          samePersonAsId: lead.contact.samePersonAsId ?? null,
        },
        source: lead.source ?? null,
      },
      profile: profile ? { ...profile, lead: undefined } : null,
      qualification: qualification
        ? { score: qualification.score, qualified: qualification.qualified, breakdown: qualification.breakdown, reasons: qualification.reasons, at: qualification.createdAt.toISOString() }
        : null,
      timeline: timeline.map((a) => ({
        id: a.id,
        type: a.type,
        actor: a.actor,
        direction: a.direction ?? null,
        body: a.body ?? null,
        deliveryStatus: a.deliveryStatus ?? null,
        providerId: a.providerId ?? null,
        meta: a.meta ?? null,
        at: a.createdAt.toISOString(),
      })),
      /** Who did what on this lead (the audit log), with names. */
      history: history.map(({ action, actorName, actorRole, details, at, id }) => ({ id, action, actorName, actorRole, details, at })),
      workflow,
    } satisfies LeadDetail;
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

