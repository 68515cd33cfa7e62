import { ChannelParseError, type SignatureCheck, type WebhookRequest } from '../channel.contract';
import { verifyMetaSignature } from './meta-signature';

// What WhatsApp and Lead Ads webhooks share: X-Hub-Signature-256 over the raw body, and JSON
// parsed only after it passed.

export function verifyMetaWebhook(request: WebhookRequest, secret: string | undefined): SignatureCheck {
  if (!secret) return 'unsigned';
  return verifyMetaSignature(request.rawBody, request.headers['x-hub-signature-256'], secret) ? 'valid' : 'invalid';
}

export function parseMetaJson(raw: Buffer, parse: (text: string) => unknown = JSON.parse): unknown {
  try {
    return parse(raw.toString('utf8'));
  } catch (err) {
    throw new ChannelParseError('invalid_json', 'Body is not valid JSON', `malformed JSON: ${(err as Error).message}`);
  }
}
