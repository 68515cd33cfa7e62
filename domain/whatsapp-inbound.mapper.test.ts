/* eslint-disable @typescript-eslint/no-explicit-any -- tests mutate fixture JSON in place */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InboundMessage } from './inbound-message.schema';
import {
  mapWhatsAppWebhookBody,
  mergeWhatsAppStatus,
  shouldApplyWhatsAppStatus,
  waIdToE164,
  type WhatsAppInboundBatch,
} from './whatsapp-inbound.mapper';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../test/fixtures/meta/${name}`, import.meta.url), 'utf8'));
const map = (name: string): WhatsAppInboundBatch => mapWhatsAppWebhookBody(fixture(name));
const only = (name: string) => {
  const batch = map(name);
  expect(batch.skipped).toEqual([]);
  expect(batch.messages).toHaveLength(1);
  const m = batch.messages[0]!;
  // Every mapped message must satisfy the shared contract the workflow validates.
  expect(InboundMessage.parse(m.message)).toEqual(m.message);
  return m;
};

describe('mapWhatsAppWebhook: messages', () => {
  it('maps a text message with the sender identity and phone number id', () => {
    const m = only('wa-text.json');
    expect(m.phoneNumberId).toBe('106540352242922');
    expect(m.identity).toEqual({ waId: '16505551234', phoneE164: '+16505551234', profileName: 'Sheena Nelson' });
    expect(m.message).toMatchObject({
      providerId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      channel: 'whatsapp',
      kind: 'text',
      text: 'Does it come in another color?',
      receivedAt: '2025-06-08T20:59:43.000Z',
    });
    expect(m.message.contextId).toBeUndefined();
  });

  it('keeps the replied-to wamid of a text reply as contextId', () => {
    expect(only('wa-text-context.json').message.contextId).toBe('wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI4QjUyRkEyNUE1QjA4RTk4QzIA');
  });

  it('decodes \\uXXXX-escaped non-ASCII text as Meta sends it', () => {
    expect(only('wa-text-non-ascii.json').message.text).toBe('مرحبا، أبحث عن شقة في دبي مارينا — presupuesto 2M AED ✨');
  });

  it.each([
    ['wa-image.json', 'image', '[photo: Black jacket]', { id: '1003383421387256', mimeType: 'image/jpeg', sha256: '6xzeVD6ZNSKvUJLpyvxwNGOY9JhDkuAR6jZJsO1B3Dk=', caption: 'Black jacket' }],
    ['wa-audio.json', 'audio', '[voice message]', { id: '1003383421387256', mimeType: 'audio/ogg; codecs=opus', sha256: 'mDi0X8ihbR6F1SuYmdDnRgrGgXDeZGj6VpmE9cK1RkA=' }],
    ['wa-video.json', 'video', '[video: Walkthrough of the balcony]', { id: '1003383421387256', mimeType: 'video/mp4', sha256: 'i8hGtYi0MkN9uDIlrhU3p0TmUyJKYoNCXGXQGz5a9Qc=', caption: 'Walkthrough of the balcony' }],
    [
      'wa-document.json',
      'document',
      '[document: pre-approval.pdf — My mortgage pre-approval]',
      { id: '1003383421387256', mimeType: 'application/pdf', sha256: 'H3oGQ0WYYx7t3sJVqC1Y9nDtLUEZ4p8pSy3C8EVaV8c=', caption: 'My mortgage pre-approval', filename: 'pre-approval.pdf' },
    ],
    ['wa-sticker.json', 'sticker', '[sticker]', { id: '1003383421387256', mimeType: 'image/webp', sha256: 'b4wbtd0mFHR4jF8RSbR+mLWvDg3dCOz7Y0pLhdy8Tq8=' }],
  ])('maps %s media with id, mime, caption and filename', (file, kind, text, media) => {
    const m = only(file);
    expect(m.message.kind).toBe(kind);
    expect(m.message.text).toBe(text);
    expect(m.message.media).toEqual(media);
  });

  it('maps a location with coordinates in the text and the structured field', () => {
    const m = only('wa-location.json');
    expect(m.message.kind).toBe('location');
    expect(m.message.location).toEqual({ latitude: 37.483253479004, longitude: -122.14796447754, name: 'Philz Coffee', address: '1 Hacker Way, Menlo Park, CA 94025' });
    expect(m.message.text).toBe('[location: Philz Coffee, 1 Hacker Way, Menlo Park, CA 94025 (37.483253479004, -122.14796447754)]');
  });

  it('maps shared contacts to a readable card and does not confuse them with the sender', () => {
    const m = only('wa-contacts.json');
    expect(m.identity.waId).toBe('16505551234');
    expect(m.message.kind).toBe('contacts');
    expect(m.message.text).toBe('[shared contact: Barbara J. Johnson, +16505559999, +19175559999, bjohnson@example.com]');
    expect(m.message.sharedContacts).toEqual([{ name: 'Barbara J. Johnson', phones: ['+16505559999', '+19175559999'], waIds: ['19175559999'], emails: ['bjohnson@example.com'] }]);
  });

  it('maps a reaction with the emoji and the message reacted to', () => {
    const m = only('wa-reaction.json');
    expect(m.message.kind).toBe('reaction');
    expect(m.message.reaction).toEqual({ messageId: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=', emoji: '👍' });
    expect(m.message.contextId).toBe('wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=');
    expect(m.message.text).toBe('[reacted 👍 to a message]');
  });

  it('maps a removed reaction (no emoji)', () => {
    const m = only('wa-reaction-removed.json');
    expect(m.message.reaction).toEqual({ messageId: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=' });
    expect(m.message.text).toBe('[removed a reaction]');
  });

  it('maps button and list replies: title as text, id kept', () => {
    const b = only('wa-button-reply.json');
    expect(b.message).toMatchObject({ kind: 'interactive', text: 'Buy', selection: { id: 'buy_now', title: 'Buy' } });
    expect(b.message.contextId).toBe('wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA');
    const l = only('wa-list-reply.json');
    expect(l.message).toMatchObject({ kind: 'interactive', text: 'Dubai Marina', selection: { id: 'area_marina', title: 'Dubai Marina', description: 'Waterfront apartments' } });
  });

  it('parses a WhatsApp Flows nfm_reply response_json into formAnswers', () => {
    const m = only('wa-nfm-reply.json');
    expect(m.message.kind).toBe('nfm_reply');
    expect(m.message.formAnswers).toEqual({ budget_aed: '2500000', bedrooms: '2', areas: 'Dubai Marina, JLT', pre_approved: 'true', 'الاسم': 'سارة' });
    expect(m.message.attribution).toEqual({ flow_token: 'lead-intake-7f3a', flow_name: 'flow' });
    expect(m.message.text.split('\n')).toContain('budget_aed: 2500000');
    expect(m.message.text).not.toContain('flow_token');
  });

  it('does not throw on an nfm_reply whose response_json is not JSON', () => {
    const body = fixture('wa-nfm-reply.json') as any;
    body.entry[0].changes[0].value.messages[0].interactive.nfm_reply.response_json = '{not json';
    const batch = mapWhatsAppWebhookBody(body);
    expect(batch.messages[0]!.message).toMatchObject({ kind: 'nfm_reply', text: '[form reply: Sent]', formAnswers: {} });
  });

  it('maps a template quick-reply button: text and payload', () => {
    const m = only('wa-template-button.json');
    expect(m.message).toMatchObject({ kind: 'button', text: 'Stop promotions', selection: { id: 'STOP_PROMOTIONS', title: 'Stop promotions' } });
  });

  it('maps an order to a readable summary', () => {
    const m = only('wa-order.json');
    expect(m.message.kind).toBe('order');
    expect(m.message.text).toBe('[order: 1 × di9ozbzfi4 @ 30 USD; 2 × nqryix03ez @ 25 USD] — Viewing fee for unit 1204');
    expect(m.message.attribution).toEqual({ catalog_id: '194836987003835' });
  });

  it('maps a click-to-WhatsApp referral into attribution on the text message', () => {
    const m = only('wa-referral.json');
    expect(m.message.kind).toBe('text');
    expect(m.message.text).toBe('Is this still available?');
    expect(m.message.attribution).toEqual({
      source: 'ctwa',
      source_url: 'https://fb.me/3cr4Wqqkv',
      source_id: '120226305854810726',
      source_type: 'ad',
      headline: 'Marina apartments from AED 1.2M',
      body: 'Find your new home in Dubai Marina. Tap to chat with an agent.',
      media_type: 'image',
      ctwa_clid: expect.stringMatching(/^Aff-/),
    });
  });

  it('identifies a BSUID-only sender (no wa_id, no from)', () => {
    const m = only('wa-bsuid-only.json');
    expect(m.identity).toEqual({ bsuid: 'US.13491208655302741918', profileName: 'Pablo Morales', username: '@pablomorales' });
    expect(m.message.text).toBe('Hi, I saw your villa listing');
  });

  it('keeps an unsupported message as a message of kind unsupported (the lead gets a contact, a lead and an ask for text)', () => {
    const batch = map('wa-unsupported.json');
    expect(batch.skipped).toEqual([]);
    expect(batch.messages).toHaveLength(1);
    expect(batch.messages[0]!.identity.waId).toBe('16505551234');
    expect(batch.messages[0]!.message).toMatchObject({
      providerId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTMwNUI2QjBGRjc4MjdFNjA4QwA=',
      kind: 'unsupported',
      text: '[unsupported message: edit]',
    });
  });

  it('keeps unknown future types and interactive subtypes as unsupported messages; skips what the lead did not write', () => {
    const body = fixture('wa-text.json') as any;
    const msgs = body.entry[0].changes[0].value.messages;
    msgs[0] = { ...msgs[0], type: 'poll_vote', poll_vote: {} };
    msgs.push({ from: '16505551234', id: 'wamid.X2', timestamp: '1749416384', type: 'interactive', interactive: { type: 'call_permission_reply', call_permission_reply: {} } });
    msgs.push({ from: '16505551234', id: 'wamid.X3', timestamp: '1749416384', type: 'request_welcome' });
    const batch = mapWhatsAppWebhookBody(body);
    expect(batch.messages.map((m) => [m.message.kind, m.message.text])).toEqual([
      ['unsupported', '[unsupported message: poll_vote]'],
      ['unsupported', '[unsupported message: interactive.call_permission_reply]'],
    ]);
    expect(batch.skipped.map((s) => [s.reason, s.type])).toEqual([['unsupported_type', 'request_welcome']]);
  });

  it('maps a mixed batch item by item: a malformed message and another field do not lose the others', () => {
    const batch = map('wa-batch-mixed.json');
    expect(batch.messages.map((m) => [m.message.providerId, m.identity.waId, m.identity.bsuid, m.identity.profileName])).toEqual([
      ['wamid.BATCH1', '16505551234', undefined, 'Sheena Nelson'],
      ['wamid.BATCH2', '16505554321', 'US.99887766554433221100', 'Pablo Morales'],
    ]);
    expect(batch.skipped).toEqual([
      { reason: 'invalid_message', providerId: 'wamid.BATCH3', type: 'text', detail: expect.stringContaining('body') },
      { reason: 'unhandled_field', field: 'message_template_status_update' },
    ]);
  });

  it('returns invalid_envelope instead of throwing for a non-WhatsApp body', () => {
    for (const body of [null, 'x', {}, fixture('leadgen-webhook-string-ids.json')]) {
      const batch = mapWhatsAppWebhookBody(body);
      expect(batch.skipped[0]!.reason).toBe('invalid_envelope');
      expect(batch.messages).toEqual([]);
    }
  });

  it('skips a message with neither wa_id nor BSUID', () => {
    const body = fixture('wa-text.json') as any;
    const value = body.entry[0].changes[0].value;
    delete value.messages[0].from;
    delete value.contacts;
    expect(mapWhatsAppWebhookBody(body).skipped).toEqual([{ reason: 'no_sender_identity', providerId: value.messages[0].id, type: 'text' }]);
  });
});

describe('mapWhatsAppWebhook: identity changes', () => {
  it('turns user_changed_number into an old → new identity change, not a message', () => {
    const batch = map('wa-system-changed-number.json');
    expect(batch.messages).toEqual([]);
    expect(batch.identityChanges).toEqual([
      {
        kind: 'phone_number_changed',
        providerId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUM0NzM2QjM0QTBDNjM3QUMzRAA=',
        phoneNumberId: '106540352242922',
        at: '2025-02-12T00:43:44.000Z',
        previous: { waId: '16505551234', bsuid: 'US.13491208655302741918' },
        current: { waId: '16505559876', bsuid: 'US.8743261590123456789', phoneE164: '+16505559876' },
        body: 'User Sheena Nelson changed from 16505551234 to 16505559876',
      },
    ]);
  });

  it('turns user_changed_user_id into a BSUID change', () => {
    const [change] = map('wa-system-changed-user-id.json').identityChanges;
    expect(change).toMatchObject({ kind: 'user_id_changed', previous: { bsuid: 'US.13491208655302741918' }, current: { bsuid: 'US.5550001234567890123' } });
  });

  it('accepts the older customer_changed_number form (new_wa_id)', () => {
    const body = fixture('wa-system-changed-number.json') as any;
    body.entry[0].changes[0].value.messages[0].system = { body: 'changed', type: 'customer_changed_number', new_wa_id: 16505559876 };
    const [change] = mapWhatsAppWebhookBody(body).identityChanges;
    expect(change).toMatchObject({ kind: 'phone_number_changed', previous: { waId: '16505551234' }, current: { waId: '16505559876' } });
  });

  it('skips an unknown system type', () => {
    const body = fixture('wa-system-changed-number.json') as any;
    body.entry[0].changes[0].value.messages[0].system.type = 'something_new';
    const batch = mapWhatsAppWebhookBody(body);
    expect(batch.identityChanges).toEqual([]);
    expect(batch.skipped).toMatchObject([{ reason: 'unknown_system_type', type: 'system.something_new' }]);
  });
});

describe('mapWhatsAppWebhook: statuses and errors', () => {
  it.each(['sent', 'delivered', 'read'] as const)('maps a %s status', (status) => {
    const batch = map(`wa-status-${status}.json`);
    expect(batch.statuses).toEqual([
      expect.objectContaining({
        wamid: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NTBEMDZBQTZCNEM5NEM1MzkA',
        status,
        timestamp: '2025-06-18T16:22:53.000Z',
        recipientId: '16505551234',
        recipientUserId: 'US.13491208655302741918',
        phoneNumberId: '106540352242922',
      }),
    ]);
    expect(batch.messages).toEqual([]);
  });

  it('carries the callback data we sent (our idempotency key) on a status', () => {
    expect(map('wa-status-sent.json').statuses[0]).toMatchObject({ callbackData: 'turn-lead-0b6c-7', pricingCategory: 'service' });
  });

  it('maps a failed status with its errors (131047 outside the 24 h window)', () => {
    const [s] = map('wa-status-failed.json').statuses;
    expect(s!.status).toBe('failed');
    expect(s!.errors).toEqual([
      {
        code: 131047,
        title: 'Re-engagement message',
        message: 'Re-engagement message',
        details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      },
    ]);
  });

  it('skips unknown status values', () => {
    const body = fixture('wa-status-sent.json') as any;
    body.entry[0].changes[0].value.statuses[0].status = 'deleted';
    expect(mapWhatsAppWebhookBody(body).skipped).toMatchObject([{ reason: 'unknown_status', type: 'deleted' }]);
  });

  it('reports webhook-level errors', () => {
    const batch = map('wa-errors.json');
    expect(batch.errors).toEqual([
      expect.objectContaining({ phoneNumberId: '106540352242922', code: 130472, title: "User's number is part of an experiment" }),
    ]);
  });
});

describe('status ordering', () => {
  it('moves forward only: sent < delivered < read < played', () => {
    expect(shouldApplyWhatsAppStatus(undefined, 'sent')).toBe(true);
    expect(shouldApplyWhatsAppStatus('sent', 'delivered')).toBe(true);
    expect(shouldApplyWhatsAppStatus('delivered', 'read')).toBe(true);
    expect(shouldApplyWhatsAppStatus('read', 'played')).toBe(true);
    expect(shouldApplyWhatsAppStatus('read', 'delivered')).toBe(false);
    expect(shouldApplyWhatsAppStatus('delivered', 'sent')).toBe(false);
    expect(shouldApplyWhatsAppStatus('read', 'read')).toBe(false);
  });

  it('failed replaces sent but never proof of delivery; proof of delivery replaces failed', () => {
    expect(mergeWhatsAppStatus('sent', 'failed')).toBe('failed');
    expect(mergeWhatsAppStatus(undefined, 'failed')).toBe('failed');
    expect(mergeWhatsAppStatus('delivered', 'failed')).toBe('delivered');
    expect(mergeWhatsAppStatus('read', 'failed')).toBe('read');
    expect(mergeWhatsAppStatus('failed', 'sent')).toBe('failed');
    expect(mergeWhatsAppStatus('failed', 'delivered')).toBe('delivered');
  });

  it('a shuffled sequence ends at the highest status seen', () => {
    const seq = ['read', 'sent', 'failed', 'delivered'] as const;
    expect(seq.reduce<ReturnType<typeof mergeWhatsAppStatus> | undefined>((cur, s) => mergeWhatsAppStatus(cur, s), undefined)).toBe('read');
  });
});

describe('waIdToE164', () => {
  it('adds the plus for a plausible number and rejects garbage', () => {
    expect(waIdToE164('16505551234')).toBe('+16505551234');
    expect(waIdToE164('971505550123')).toBe('+971505550123');
    expect(waIdToE164('US.13491208655302741918')).toBeUndefined();
    expect(waIdToE164('123')).toBeUndefined();
  });
});
