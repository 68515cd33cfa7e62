import { randomBytes, randomInt } from 'node:crypto';
import { computeMetaSignature } from '../../channels/meta/meta-signature';

/** A UAE mobile number in the reserved-looking test range, unique per call. */
export function testWaId(): string {
  return `97150${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

export function testWamid(): string {
  return `wamid.TEST${randomBytes(12).toString('hex')}`;
}

export const TEST_PHONE_NUMBER_ID = '106540352242922';

/** One `messages` change as Meta sends it: the business number's metadata plus `value`. */
export function waChange<V extends Record<string, unknown>>(value: V, phoneNumberId = TEST_PHONE_NUMBER_ID) {
  return {
    field: 'messages',
    value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, ...value },
  };
}

/** The documented `whatsapp_business_account` envelope around some changes. */
export function waEnvelope<C extends ReturnType<typeof waChange>>(changes: C[]) {
  return { object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes }] };
}

/** The envelope carrying one text message. */
export function waTextPayload(args: { waId: string; text: string; wamid?: string; name?: string }) {
  return waEnvelope([
    waChange({
      contacts: [{ profile: { name: args.name ?? 'Test Lead' }, wa_id: args.waId }],
      messages: [{ from: args.waId, id: args.wamid ?? testWamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: args.text } }],
    }),
  ]);
}

export async function postWebhook(baseUrl: string, body: string | object, options: { secret?: string; signature?: string; path?: string } = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.signature) headers['x-hub-signature-256'] = options.signature;
  else if (options.secret) headers['x-hub-signature-256'] = computeMetaSignature(raw, options.secret);
  const res = await fetch(`${baseUrl}${options.path ?? '/webhooks/whatsapp'}`, { method: 'POST', headers, body: raw });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json: json as Record<string, unknown> & { error?: { code: string; message: string; details: unknown } } };
}
