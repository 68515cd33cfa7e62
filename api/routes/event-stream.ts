import type { Context } from 'koa';
import type { PassThrough } from 'node:stream';

/**
 * Answers with a Server-Sent Events stream: no caching or transforming on the way, and no
 * buffering at a proxy (nginx honours X-Accel-Buffering), so each event reaches the browser
 * as it is written. `onClose` runs when the client goes away.
 */
export function respondWithEventStream(ctx: Context, stream: PassThrough, onClose: () => void): void {
  ctx.status = 200;
  ctx.type = 'text/event-stream';
  ctx.set('Cache-Control', 'no-cache, no-transform');
  ctx.set('X-Accel-Buffering', 'no');
  ctx.body = stream;
  ctx.res.once('close', onClose);
}
