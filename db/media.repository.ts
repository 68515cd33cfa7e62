import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { MediaFileEntity, type MediaFileRow } from './media-file.entity';

// Media a lead sent: one row per (lead, provider media id), written when the message is
// recorded and completed by the download activity.

export interface MediaAnnouncement {
  messageProviderId: string;
  mediaId: string;
  kind: string;
  mimeType?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
}

export class MediaRepository {
  constructor(private readonly em: EntityManager) {}

  async announce(leadId: string, media: MediaAnnouncement): Promise<void> {
    await this.em.getConnection().execute(
      `insert into media_files (id, lead_id, message_provider_id, media_id, kind, mime_type, sha256, caption, filename, status, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', now()) on conflict (lead_id, media_id) do nothing`,
      [randomUUID(), leadId, media.messageProviderId, media.mediaId, media.kind, media.mimeType ?? null, media.sha256 ?? null, media.caption ?? null, media.filename ?? null],
    );
  }

  async find(leadId: string, mediaId: string): Promise<MediaFileRow | null> {
    return this.em.findOne(MediaFileEntity, { lead: leadId, mediaId });
  }

  async markStored(id: string, stored: { storageKey: string; sizeBytes: number; mimeType: string | null }): Promise<void> {
    await this.em.nativeUpdate(MediaFileEntity, { id }, { status: 'stored', storageKey: stored.storageKey, sizeBytes: stored.sizeBytes, mimeType: stored.mimeType, storedAt: new Date(), error: null });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.em.nativeUpdate(MediaFileEntity, { id, status: { $ne: 'stored' } }, { status: 'failed', error: error.slice(0, 500) });
  }
}
