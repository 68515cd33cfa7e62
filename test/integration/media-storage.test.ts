import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../lib/env';
import { createMediaStorage } from '../../lib/media.storage';
import { startFakeS3Server, type FakeS3Server } from '../fakes/s3.server';

// Media storage: the local folder by default, any S3-compatible bucket when MEDIA_S3_BUCKET is
// set (the real @aws-sdk/client-s3 against a local server speaking S3's REST API).

describe('media storage', () => {
  let s3: FakeS3Server;
  const dir = path.join(tmpdir(), `leadline-media-store-${randomUUID()}`);
  beforeAll(async () => {
    s3 = await startFakeS3Server();
  });
  afterAll(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps files on disk under MEDIA_DIR and refuses keys that climb out of it', async () => {
    const storage = createMediaStorage(parseEnv({ MEDIA_DIR: dir }));
    expect(storage.kind).toBe('disk');
    await storage.put('lead-1/123', Buffer.from('photo bytes'), 'image/jpeg');
    expect(await storage.get('lead-1/123')).toEqual({ body: Buffer.from('photo bytes'), contentType: 'image/jpeg' });
    expect(await storage.get('lead-1/missing')).toBeNull();
    await expect(storage.put('../escape', Buffer.from('x'), null)).rejects.toThrow(/unsafe media key/);
  });

  it('puts and gets objects in an S3-compatible bucket, signed with the configured credentials', async () => {
    const storage = createMediaStorage(
      parseEnv({ MEDIA_S3_BUCKET: 'leadline-media', MEDIA_S3_ENDPOINT: s3.endpoint, MEDIA_S3_REGION: 'eu-west-1', MEDIA_S3_ACCESS_KEY_ID: 'AKIAFAKE', MEDIA_S3_SECRET_ACCESS_KEY: 'secret' }),
    );
    expect(storage.kind).toBe('s3');
    await storage.put('lead-2/456', Buffer.from('%PDF-1.4'), 'application/pdf');
    expect(s3.objects.get('leadline-media/lead-2/456')).toEqual({ body: Buffer.from('%PDF-1.4'), contentType: 'application/pdf' });
    expect(s3.authorizations.at(-1)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAFAKE\/\d{8}\/eu-west-1\/s3\/aws4_request/);
    expect(await storage.get('lead-2/456')).toEqual({ body: Buffer.from('%PDF-1.4'), contentType: 'application/pdf' });
    expect(await storage.get('lead-2/missing')).toBeNull();
  });
});
