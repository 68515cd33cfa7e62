import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import twilio from 'twilio';

export const TWILIO_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const TWILIO_AUTH_TOKEN = 'twilio-test-auth-token';
export const TWILIO_NUMBER = '+15017122661';

export const twilioSid = (prefix = 'SM') => `${prefix}${randomBytes(16).toString('hex')}`;

/** A documented Twilio webhook (test/fixtures/twilio) with this run's numbers and ids. */
export function twilioFixture(name: string, over: Record<string, string> = {}): Record<string, string> {
  const params = JSON.parse(readFileSync(new URL(`../fixtures/twilio/${name}`, import.meta.url), 'utf8')) as Record<string, string>;
  const sid = over.MessageSid ?? twilioSid(params.MessageSid?.slice(0, 2) ?? 'SM');
  return { ...params, AccountSid: TWILIO_ACCOUNT_SID, MessageSid: sid, ...(params.SmsSid && { SmsSid: sid }), ...(params.SmsMessageSid && { SmsMessageSid: sid }), ...over };
}

/** POSTs a form as Twilio does, signed over `signedUrl` (default: the URL posted to) unless told otherwise. */
export async function postTwilio(
  baseUrl: string,
  path: string,
  params: Record<string, string>,
  options: { token?: string; signature?: string | null; signedUrl?: string; contentType?: string; rawBody?: string } = {},
) {
  const url = `${baseUrl}${path}`;
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded' };
  const signature = options.signature === undefined ? twilio.getExpectedTwilioSignature(options.token ?? TWILIO_AUTH_TOKEN, options.signedUrl ?? url, params) : options.signature;
  if (signature !== null) headers['x-twilio-signature'] = signature;
  const res = await fetch(url, { method: 'POST', headers, body: options.rawBody ?? new URLSearchParams(params).toString() });
  const text = await res.text();
  type ErrorEnvelope = { error?: { code: string; message: string; details: unknown } };
  let json: ErrorEnvelope | null = null;
  try {
    json = JSON.parse(text) as ErrorEnvelope;
  } catch {
    json = null;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}
