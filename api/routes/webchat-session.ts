import { createHash } from 'node:crypto';
import type { Context } from 'koa';

// The web chat session key: held by the browser (through the web app's cookie), only its hash stored.
export const SESSION_HEADER = 'x-session-key';

export const hashSessionKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export function sessionKeyOf(ctx: Context): string | undefined {
  const header = ctx.get(SESSION_HEADER);
  if (header) return header;
  const auth = ctx.get('authorization');
  return auth.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() || undefined : undefined;
}
