import { createHash } from 'node:crypto';
import { z } from 'zod';
import { readMetaError } from '../meta/meta-error';

// Downloading media a lead sent (Cloud API): GET /{version}/{media-id} with the token gives a
// short-lived URL, its type, size and SHA-256; GET that URL with the same token gives the bytes.
// Size and type are checked before the download and the bytes against the hash after.

export const MediaUrlSchema = z.looseObject({
  url: z.string().url(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  file_size: z.coerce.number().int().min(0).optional(),
  id: z.string().optional(),
});

/** What a lead may send us and we keep: pictures, video, audio and office documents. */
const ALLOWED_TYPE = /^(?:image\/|video\/|audio\/|application\/pdf$|application\/(?:msword|vnd\.openxmlformats-officedocument\.[a-z.]+|vnd\.ms-excel|vnd\.ms-powerpoint)$|text\/plain$)/;

export class MediaDownloadError extends Error {
  override readonly name = 'MediaDownloadError';
  constructor(
    /** retryable: network, 5xx, 429, a hash mismatch; the rest are final. */
    readonly retryable: boolean,
    message: string,
  ) {
    super(message);
  }
}

export interface DownloadedMedia {
  body: Buffer;
  mimeType: string | null;
  sha256: string;
}

export interface WhatsAppMediaClient {
  download(mediaId: string, expected: { sha256?: string | null; mimeType?: string | null }): Promise<DownloadedMedia>;
}

export function createWhatsAppMediaClient(config: { baseUrl: string; token: string; apiVersion: string; maxBytes: number; timeoutMs?: number }): WhatsAppMediaClient {
  const base = config.baseUrl.replace(/\/+$/, '');
  const timeoutMs = config.timeoutMs ?? 30_000;
  const headers = { authorization: `Bearer ${config.token}` };

  async function get(url: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    } catch (cause) {
      throw new MediaDownloadError(true, `media request failed: ${cause instanceof Error ? cause.name : 'error'}`);
    }
    if (!res.ok) {
      const meta = readMetaError(await res.json().catch(() => undefined));
      const retryable = res.status >= 500 || res.status === 429 || meta?.isTransient === true;
      throw new MediaDownloadError(retryable, `media request answered ${res.status}${meta?.code !== undefined ? ` (#${meta.code})` : ''}`);
    }
    return res;
  }

  return {
    async download(mediaId, expected) {
      if (!/^[A-Za-z0-9_.-]{1,128}$/.test(mediaId)) throw new MediaDownloadError(false, 'not a media id');
      const info = MediaUrlSchema.safeParse(await (await get(`${base}/${encodeURIComponent(config.apiVersion)}/${mediaId}`)).json().catch(() => undefined));
      if (!info.success) throw new MediaDownloadError(true, 'media URL response unreadable');
      const mimeType = info.data.mime_type ?? expected.mimeType ?? null;
      if (mimeType && !ALLOWED_TYPE.test(mimeType.split(';')[0]!.trim())) throw new MediaDownloadError(false, `media type ${mimeType} is not kept`);
      if (info.data.file_size !== undefined && info.data.file_size > config.maxBytes) throw new MediaDownloadError(false, `media is ${info.data.file_size} bytes, over the ${config.maxBytes} limit`);
      const res = await get(info.data.url);
      const length = Number(res.headers.get('content-length') ?? '0');
      if (length > config.maxBytes) throw new MediaDownloadError(false, `media is ${length} bytes, over the ${config.maxBytes} limit`);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body ?? []) {
        size += (chunk as Uint8Array).byteLength;
        if (size > config.maxBytes) throw new MediaDownloadError(false, `media is over the ${config.maxBytes} limit`);
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
      const body = Buffer.concat(chunks);
      const digest = createHash('sha256').update(body);
      const hex = digest.copy().digest('hex');
      const b64 = digest.digest('base64');
      const want = expected.sha256 ?? info.data.sha256;
      // Meta writes the hash in base64 in webhooks and hex in some answers: either must match.
      if (want && want !== b64 && want.toLowerCase() !== hex) throw new MediaDownloadError(true, 'media bytes do not match their SHA-256');
      return { body, mimeType, sha256: b64 };
    },
  };
}
