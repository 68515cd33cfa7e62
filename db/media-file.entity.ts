import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { LeadEntity } from './entities';

// A photo, video, voice note or document a lead sent: the provider's ids and facts as the
// webhook gave them, then where we stored the file once the download activity fetched it
// (pending → stored | failed). The bytes live in storage (local disk or S3), not in Postgres.
export const MediaFileEntity = defineEntity({
  name: 'MediaFile',
  tableName: 'media_files',
  uniques: [{ name: 'media_files_lead_media_unique', properties: ['lead', 'mediaId'] }],
  properties: {
    id: p.uuid().primary(),
    lead: () => p.manyToOne(LeadEntity),
    /** The message that carried it (wamid). */
    messageProviderId: p.string(),
    /** The provider's media id (Graph GET /{media-id}). */
    mediaId: p.string(),
    /** image | video | audio | document | sticker */
    kind: p.string(),
    mimeType: p.string().nullable(),
    /** base64 SHA-256 the provider announced; the download is checked against it. */
    sha256: p.string().nullable(),
    caption: p.text().nullable(),
    filename: p.string().nullable(),
    /** pending | stored | failed */
    status: p.string().default('pending'),
    sizeBytes: p.integer().nullable(),
    /** Where the bytes are: a path under MEDIA_DIR, or an S3 key. */
    storageKey: p.string().nullable(),
    error: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    storedAt: p.datetime().nullable(),
  },
});
export type MediaFileRow = InferEntity<typeof MediaFileEntity>;
