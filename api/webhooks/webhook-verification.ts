import type { Middleware } from 'koa';
import { AppError } from '../../lib/errors';
import { verifyWebhookChallenge } from '../../channels/meta/meta-signature';

/** The GET handshake Meta makes when a webhook URL is registered (WhatsApp and Lead Ads alike). */
export function webhookVerification(verifyToken: () => string | undefined, tokenName: string): Middleware {
  return (ctx) => {
    const token = verifyToken();
    if (!token) throw new AppError('not_configured', 403, `${tokenName} is not configured`);
    const challenge = verifyWebhookChallenge(ctx.query, token);
    if (challenge === null) throw new AppError('verification_failed', 403, 'Webhook verification failed');
    ctx.type = 'text/plain';
    ctx.body = challenge;
  };
}
