import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { MediaDownloadError, type WhatsAppMediaClient } from '../channels/whatsapp/whatsapp-media.client';
import { MediaRepository } from '../db/media.repository';
import { raiseLeadAlert } from '../intake/lead-alert.raiser';
import type { MediaStorage } from '../lib/media.storage';

// Keeping what a lead sent: the file is fetched from the Graph API and written to storage, its
// row marked stored. A refusal no retry fixes (too big, a type we do not keep, an unknown id)
// fails at once; the media workflow then marks the row failed and raises an alert on the lead.

export interface MediaRef {
  leadId: string;
  mediaId: string;
}

export function createMediaActivities(deps: { orm: MikroORM; redis: Redis; logger: Logger; storage: MediaStorage; whatsapp?: WhatsAppMediaClient }) {
  const media = () => new MediaRepository(deps.orm.em.fork());
  return {
    async storeMedia(input: MediaRef): Promise<{ status: 'stored'; sizeBytes: number }> {
      const row = await media().find(input.leadId, input.mediaId);
      if (!row) throw ApplicationFailure.nonRetryable('no such media on the lead', 'NotFoundError');
      if (row.status === 'stored' && row.sizeBytes !== null && row.sizeBytes !== undefined) return { status: 'stored', sizeBytes: row.sizeBytes };
      if (!deps.whatsapp) throw ApplicationFailure.nonRetryable('WHATSAPP_TOKEN is not set: media cannot be fetched', 'MediaNotConfigured');
      let file;
      try {
        file = await deps.whatsapp.download(input.mediaId, { sha256: row.sha256 ?? null, mimeType: row.mimeType ?? null });
      } catch (err) {
        if (err instanceof MediaDownloadError && !err.retryable) throw ApplicationFailure.nonRetryable(err.message, 'MediaRejected');
        throw err;
      }
      const storageKey = `${input.leadId}/${input.mediaId}`;
      await deps.storage.put(storageKey, file.body, file.mimeType);
      await media().markStored(row.id, { storageKey, sizeBytes: file.body.byteLength, mimeType: file.mimeType });
      deps.logger.info({ leadId: input.leadId, mediaId: input.mediaId, bytes: file.body.byteLength, storage: deps.storage.kind }, 'media stored');
      return { status: 'stored', sizeBytes: file.body.byteLength };
    },

    async mediaFailed(input: MediaRef & { reason: string }): Promise<void> {
      const row = await media().find(input.leadId, input.mediaId);
      if (row) await media().markFailed(row.id, input.reason);
      await raiseLeadAlert(deps, {
        leadId: input.leadId,
        kind: 'media_failed',
        body: `A ${row?.kind ?? 'file'} the lead sent could not be kept (${input.reason})`,
        idempotencyKey: `media-failed:${input.leadId}:${input.mediaId}`,
        meta: { mediaId: input.mediaId },
      });
    },
  };
}

export type MediaActivities = ReturnType<typeof createMediaActivities>;
