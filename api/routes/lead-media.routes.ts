import Router from '@koa/router';
import { z } from 'zod';
import { LeadRepository } from '../../db/lead.repository';
import { MediaRepository } from '../../db/media.repository';
import { canSeeLead } from '../../domain/access.policy';
import { AppError, badRequest, notFound } from '../../lib/errors';
import type { MediaStorage } from '../../lib/media.storage';
import { forbidden, principal } from '../middleware/auth';
import { currentEm } from '../orm';

// A file a lead sent, opened from the lead page: for signed-in users who may see the lead (and
// machine clients). Served as an attachment with its own type, never rendered as our page.

const Params = z.object({ id: z.uuid(), mediaId: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/) });

export function leadMediaRoutes(deps: { storage: MediaStorage }) {
  const router = new Router();
  router.get('/leads/:id/media/:mediaId', async (ctx) => {
    const params = Params.safeParse(ctx.params);
    if (!params.success) throw badRequest('Invalid lead or media id', z.treeifyError(params.error));
    const lead = await new LeadRepository(currentEm()).findLead(params.data.id);
    if (!lead) throw notFound('Lead', { id: params.data.id });
    if (!canSeeLead(principal(ctx), { ownerId: lead.ownerId })) throw forbidden('This lead belongs to another broker', { id: lead.id });
    const media = await new MediaRepository(currentEm()).find(lead.id, params.data.mediaId);
    if (!media) throw notFound('Media', { mediaId: params.data.mediaId });
    if (media.status !== 'stored' || !media.storageKey) {
      throw new AppError('media_unavailable', 409, media.status === 'failed' ? 'This file could not be kept' : 'This file is still being fetched', { status: media.status, error: media.error ?? null });
    }
    const object = await deps.storage.get(media.storageKey);
    if (!object) throw notFound('Stored media', { mediaId: media.mediaId });
    const type = media.mimeType ?? object.contentType ?? 'application/octet-stream';
    const name = (media.filename ?? `${media.kind}-${media.mediaId}`).replace(/[^\w.\- ]+/g, '_');
    ctx.set('Content-Type', type);
    ctx.set('Content-Disposition', `attachment; filename="${name}"`);
    ctx.set('Cache-Control', 'private, no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');
    if (media.sha256) ctx.set('Digest', `sha-256=${media.sha256}`);
    ctx.body = object.body;
  });
  return router;
}
