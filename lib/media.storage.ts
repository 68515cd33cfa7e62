import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Env } from './env';
import { dataDir } from './paths';

// Where the media leads send is kept: a folder on local disk (`.data/media/` by default) or
// any S3-compatible bucket (MEDIA_S3_BUCKET, with an endpoint, region and credentials). Keys are
// `<leadId>/<mediaId>`: no personal data in names, and a lead's files sit together to erase.

export interface StoredObject {
  body: Buffer;
  contentType: string | null;
}

export interface MediaStorage {
  readonly kind: 'disk' | 's3';
  put(key: string, body: Buffer, contentType: string | null): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

function checkKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`unsafe media key ${JSON.stringify(key)}`);
  return key;
}

export function createMediaStorage(env: Env): MediaStorage {
  if (env.MEDIA_S3_BUCKET) return s3Storage(env, env.MEDIA_S3_BUCKET);
  return diskStorage(env.MEDIA_DIR ?? path.join(dataDir, 'media'));
}

function diskStorage(root: string): MediaStorage {
  return {
    kind: 'disk',
    async put(key, body, contentType) {
      const file = path.join(root, checkKey(key));
      await mkdir(path.dirname(file), { recursive: true });
      // Written beside, then renamed: a reader never sees half a file.
      await writeFile(`${file}.part`, body);
      await rename(`${file}.part`, file);
      await writeFile(`${file}.type`, contentType ?? '');
    },
    async get(key) {
      const file = path.join(root, checkKey(key));
      try {
        const [body, type] = await Promise.all([readFile(file), readFile(`${file}.type`, 'utf8').catch(() => '')]);
        return { body, contentType: type || null };
      } catch (err) {
        if ((err as { code?: string }).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}

function s3Storage(env: Env, bucket: string): MediaStorage {
  const client = new S3Client({
    region: env.MEDIA_S3_REGION,
    forcePathStyle: env.MEDIA_S3_FORCE_PATH_STYLE,
    ...(env.MEDIA_S3_ENDPOINT && { endpoint: env.MEDIA_S3_ENDPOINT }),
    ...(env.MEDIA_S3_ACCESS_KEY_ID && env.MEDIA_S3_SECRET_ACCESS_KEY && { credentials: { accessKeyId: env.MEDIA_S3_ACCESS_KEY_ID, secretAccessKey: env.MEDIA_S3_SECRET_ACCESS_KEY } }),
    maxAttempts: 3,
  });
  return {
    kind: 's3',
    async put(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: checkKey(key), Body: body, ...(contentType && { ContentType: contentType }) }));
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: checkKey(key) }));
        if (!out.Body) return null;
        return { body: Buffer.from(await out.Body.transformToByteArray()), contentType: out.ContentType ?? null };
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey' || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
        throw err;
      }
    },
  };
}
