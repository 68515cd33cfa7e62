import { z } from 'zod';

// Graph and Cloud API errors share one body shape; both Meta channels read it the same way.

/** Graph error body: { "error": { message, type, code, error_subcode, fbtrace_id, ... } }. */
export const MetaErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    is_transient: z.boolean().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    error_data: z.unknown().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

export interface MetaErrorInfo {
  message?: string;
  type?: string;
  code?: number;
  subcode?: number;
  isTransient?: boolean;
  details?: string;
  fbtraceId?: string;
}

/** Reads a Graph / Cloud API error body; undefined when the body is not one. */
export function readMetaError(body: unknown): MetaErrorInfo | undefined {
  const parsed = MetaErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const e = parsed.data.error;
  const data = e.error_data;
  const details =
    typeof data === 'string' ? data : data && typeof data === 'object' && typeof (data as { details?: unknown }).details === 'string' ? (data as { details: string }).details : undefined;
  const info: MetaErrorInfo = {};
  if (e.message !== undefined) info.message = e.message;
  if (e.type !== undefined) info.type = e.type;
  if (e.code !== undefined) info.code = e.code;
  if (e.error_subcode !== undefined) info.subcode = e.error_subcode;
  if (e.is_transient !== undefined) info.isTransient = e.is_transient;
  if (details !== undefined) info.details = details;
  if (e.fbtrace_id !== undefined) info.fbtraceId = e.fbtrace_id;
  return info;
}
