import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../channels/channel.contract';
import { createSmsChannel, mapTwilioStatus, smsTwiml, twilioSignedUrl } from '../../channels/sms/sms.channel';
import { classifyTwilioError } from '../../channels/sms/twilio.client';
import { createMemoryIdempotencyStore } from '../../lib/idempotency.store';
import { parseEnv } from '../../lib/env';

const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TOKEN = 'unit-auth-token';
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/twilio/${name}`, import.meta.url), 'utf8')) as Record<string, string>;

function channel(env: Record<string, string> = {}) {
  return createSmsChannel({
    env: parseEnv({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_FROM_NUMBER: '+15017122661', ...env }),
    logger: pino({ level: 'silent' }),
    idempotency: () => createMemoryIdempotencyStore(),
    now: () => new Date('2026-12-01T10:00:00Z'),
  });
}

function request(params: Record<string, string>, options: { signature?: string; origin?: string; path?: string; contentType?: string } = {}): WebhookRequest {
  return {
    rawBody: Buffer.from(new URLSearchParams(params).toString()),
    headers: options.signature === undefined ? {} : { 'x-twilio-signature': options.signature },
    origin: options.origin ?? 'https://leads.example.com',
    originalUrl: options.path ?? '/webhooks/sms',
    contentType: options.contentType ?? 'application/x-www-form-urlencoded',
  };
}

describe('SMS channel: verify', () => {
  const params = fixture('sms-inbound-text.json');
  const sign = (url: string, p = params, token = TOKEN) => twilio.getExpectedTwilioSignature(token, url, p);

  it('accepts Twilio’s signature over the URL it called and the posted parameters', () => {
    expect(channel().inbound!.verify(request(params, { signature: sign('https://leads.example.com/webhooks/sms') }))).toBe('valid');
  });

  it('refuses another token, another URL, changed parameters and a missing header', () => {
    const sms = channel().inbound!;
    expect(sms.verify(request(params, { signature: sign('https://leads.example.com/webhooks/sms', params, 'other') }))).toBe('invalid');
    expect(sms.verify(request(params, { signature: sign('https://other.example.com/webhooks/sms') }))).toBe('invalid');
    expect(sms.verify(request({ ...params, Body: 'changed' }, { signature: sign('https://leads.example.com/webhooks/sms') }))).toBe('invalid');
    expect(sms.verify(request(params))).toBe('invalid');
  });

  it('checks against TWILIO_WEBHOOK_BASE_URL when set (Twilio called the proxy, not us)', () => {
    const sms = channel({ TWILIO_WEBHOOK_BASE_URL: 'https://public.example.com/api/' }).inbound!;
    const req = request(params, { origin: 'http://10.0.0.7:3000', signature: sign('https://public.example.com/api/webhooks/sms') });
    expect(twilioSignedUrl(req, 'https://public.example.com/api/')).toBe('https://public.example.com/api/webhooks/sms');
    expect(sms.verify(req)).toBe('valid');
    expect(sms.verify({ ...req, headers: { 'x-twilio-signature': sign('http://10.0.0.7:3000/webhooks/sms') } })).toBe('invalid');
  });

  it('accepts unsigned bodies without a token only outside production', () => {
    const dev = createSmsChannel({ env: parseEnv({}), logger: pino({ level: 'silent' }), idempotency: () => createMemoryIdempotencyStore() });
    expect(dev.inbound!.verify(request(params))).toBe('unsigned');
    const prod = createSmsChannel({ env: parseEnv({ NODE_ENV: 'production', API_TOKEN: 'a-long-enough-token-123', ENCRYPTION_MASTER_KEYS: 'k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' }), logger: pino({ level: 'silent' }), idempotency: () => createMemoryIdempotencyStore() });
    expect(prod.inbound!.verify(request(params))).toBe('invalid');
  });
});

describe('SMS channel: parse', () => {
  const sms = channel().inbound!;

  it('reads an incoming SMS into the normalised batch, keyed by the E.164 phone', () => {
    const params: Record<string, string> = { ...fixture('sms-inbound-text.json'), AccountSid: SID };
    const batch = sms.parse(request(params));
    expect(batch.statuses).toEqual([]);
    expect(batch.messages).toEqual([
      {
        identity: { phone: '+15558675310', name: null },
        businessAddress: '+15017122661',
        message: { providerId: params.MessageSid, channel: 'sms', kind: 'text', text: params.Body, receivedAt: '2026-12-01T10:00:00.000Z' },
      },
    ]);
  });

  it('reads MMS media', () => {
    const params: Record<string, string> = { ...fixture('sms-inbound-mms.json'), AccountSid: SID };
    const [item] = sms.parse(request(params)).messages;
    expect(item!.message).toMatchObject({ kind: 'image', text: params.Body, media: { id: params.MediaUrl0, mimeType: 'image/jpeg', caption: params.Body } });
  });

  it('reads status callbacks, mapping Twilio’s words onto the shared ladder', () => {
    const params: Record<string, string> = { ...fixture('sms-status-undelivered.json'), AccountSid: SID };
    expect(sms.parse(request(params)).statuses).toEqual([{ providerId: params.MessageSid, status: 'undelivered', timestamp: '2026-12-01T10:00:00.000Z', errors: [{ code: 30003 }] }]);
    expect(['accepted', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'received'].map(mapTwilioStatus)).toEqual([
      'queued', 'queued', 'queued', 'sent', 'delivered', 'undelivered', 'failed', 'read', null,
    ]);
  });

  it('skips another account and WhatsApp-through-Twilio senders, and refuses what is not Twilio’s form', () => {
    const params = fixture('sms-inbound-text.json');
    expect(sms.parse(request({ ...params, AccountSid: `AC${'f'.repeat(32)}` })).skipped).toEqual([{ reason: 'foreign_account', providerId: params.MessageSid }]);
    expect(sms.parse(request({ ...params, AccountSid: SID, From: 'whatsapp:+15558675310' })).skipped[0]).toMatchObject({ reason: 'unsupported_address', detail: 'whatsapp' });
    expect(() => sms.parse(request({ hello: 'world' }))).toThrow(/not a Twilio messaging webhook/);
    expect(() => sms.parse(request(params, { contentType: 'application/json' }))).toThrow(/x-www-form-urlencoded/);
  });
});

describe('SMS channel: replies and errors', () => {
  it('answers in TwiML, escaped', () => {
    expect(smsTwiml()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(smsTwiml(['Rates & <terms>'])).toContain('<Message>Rates &amp; &lt;terms&gt;</Message>');
  });

  it('retries rate limits and outages, not an unsubscribed or invalid recipient', () => {
    expect(classifyTwilioError(429, 20429)).toBe('rate_limited');
    expect(classifyTwilioError(503, undefined)).toBe('server');
    expect(classifyTwilioError(400, 21610)).toBe('opted_out');
    expect(classifyTwilioError(400, 21211)).toBe('recipient');
    expect(classifyTwilioError(401, 20003)).toBe('auth');
    expect(classifyTwilioError(400, 21602)).toBe('invalid_request');
  });
});
