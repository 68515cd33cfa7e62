import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMetaGraphClient, MetaGraphError } from '../../channels/leadads/meta-graph.client';
import { createWhatsAppClient, WhatsAppSendError } from '../../channels/whatsapp/whatsapp.client';
import { verifyMetaSignature } from '../../channels/meta/meta-signature';
import { mapGraphLead } from '../../domain/leadgen.mapper';
import { signMetaPayload, startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';

// Needs no database: the two Meta clients against the local fake Graph API.
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/meta/${name}`, import.meta.url), 'utf8'));
const TOKEN = 'test-token';
const PHONE_NUMBER_ID = '106540352242922';

let server: FakeMetaServer;
beforeAll(async () => {
  server = await startFakeMetaServer({ token: TOKEN });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

const wa = (token = TOKEN) => createWhatsAppClient({ baseUrl: server.baseUrl, token, apiVersion: 'v23.0', timeoutMs: 5_000 });
const graph = (token = TOKEN) => createMetaGraphClient({ baseUrl: `${server.baseUrl}/`, token, apiVersion: 'v23.0', timeoutMs: 5_000 });

async function sendError(p: Promise<unknown>): Promise<WhatsAppSendError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WhatsAppSendError);
  return err as WhatsAppSendError;
}
async function graphError(p: Promise<unknown>): Promise<MetaGraphError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MetaGraphError);
  return err as MetaGraphError;
}

describe('WhatsApp client', () => {
  it('sends text exactly per the Cloud API and returns the wamid', async () => {
    const wamid = await wa().sendText(PHONE_NUMBER_ID, '+1 650-555-1234', 'Hello from Leadline', { idempotencyKey: 'turn-1' });
    expect(wamid).toMatch(/^wamid\./);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/v23.0/${PHONE_NUMBER_ID}/messages`);
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16505551234',
      type: 'text',
      text: { body: 'Hello from Leadline' },
      biz_opaque_callback_data: 'turn-1',
    });
  });

  it('sends to a BSUID through "recipient", never "to"', async () => {
    await wa().sendText(PHONE_NUMBER_ID, 'US.13491208655302741918', 'Hi');
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body.recipient).toBe('US.13491208655302741918');
    expect(body).not.toHaveProperty('to');
  });

  it('does not send twice for the same idempotency key', async () => {
    const client = wa();
    const first = await client.sendText(PHONE_NUMBER_ID, '16505551234', 'Once', { idempotencyKey: 'turn-2' });
    const second = await client.sendText(PHONE_NUMBER_ID, '16505551234', 'Once', { idempotencyKey: 'turn-2' });
    expect(second).toBe(first);
    expect(server.requests).toHaveLength(1);
  });

  it('takes a 200 whose body cannot be read as accepted without an id, and never sends it again', async () => {
    const client = wa();
    server.answerNextSendWith('<html>ok</html>');
    expect(await client.sendText(PHONE_NUMBER_ID, '16505551234', 'Once only', { idempotencyKey: 'turn-unreadable' })).toBeNull();
    expect(await client.sendText(PHONE_NUMBER_ID, '16505551234', 'Once only', { idempotencyKey: 'turn-unreadable' })).toBeNull();
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toMatchObject({ biz_opaque_callback_data: 'turn-unreadable' });
  });

  it('sends a template with name, language code and components', async () => {
    const components = [{ type: 'body', parameters: [{ type: 'text', text: 'Sheena' }] }];
    await wa().sendTemplate(PHONE_NUMBER_ID, '16505551234', 'lead_follow_up', 'en_US', components);
    expect(server.requests[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16505551234',
      type: 'template',
      template: { name: 'lead_follow_up', language: { code: 'en_US' }, components },
    });
  });

  it('classifies 131047 (outside the 24 h window) as non-retryable', async () => {
    server.failNext({ pathIncludes: '/messages' }, { status: 400, body: fixture('wa-send-error-131047.json') });
    const err = await sendError(wa().sendText(PHONE_NUMBER_ID, '16505551234', 'Late'));
    expect(err).toMatchObject({ reason: 'outside_window', retryable: false, httpStatus: 400, metaCode: 131047 });
  });

  it('classifies throughput errors as retryable even though Meta answers HTTP 400', async () => {
    server.failNext({ pathIncludes: '/messages' }, { status: 400, body: fixture('wa-send-error-throughput.json') });
    const err = await sendError(wa().sendText(PHONE_NUMBER_ID, '16505551234', 'x'));
    expect(err).toMatchObject({ reason: 'rate_limited', retryable: true, metaCode: 130429 });
  });

  it('classifies an expired token (190) as non-retryable auth', async () => {
    const err = await sendError(wa('expired').sendText(PHONE_NUMBER_ID, '16505551234', 'x'));
    expect(err).toMatchObject({ reason: 'auth', retryable: false, httpStatus: 401, metaCode: 190 });
  });

  it('classifies 5xx, 429 and a dropped connection as retryable', async () => {
    server.failNext({ pathIncludes: '/messages' }, { status: 503, body: 'upstream unavailable' });
    expect(await sendError(wa().sendText(PHONE_NUMBER_ID, '16505551234', 'x'))).toMatchObject({ reason: 'server', retryable: true, httpStatus: 503 });
    server.failNext({ pathIncludes: '/messages' }, { status: 429, body: {} });
    expect(await sendError(wa().sendText(PHONE_NUMBER_ID, '16505551234', 'x'))).toMatchObject({ reason: 'rate_limited', retryable: true });
    server.failNext({ pathIncludes: '/messages' }, { drop: true });
    expect(await sendError(wa().sendText(PHONE_NUMBER_ID, '16505551234', 'x'))).toMatchObject({ reason: 'network', retryable: true });
  });

  it('does not remember a failed send under its idempotency key', async () => {
    server.failNext({ pathIncludes: '/messages' }, { status: 500, body: {} });
    const client = wa();
    await sendError(client.sendText(PHONE_NUMBER_ID, '16505551234', 'retry me', { idempotencyKey: 'turn-3' }));
    const wamid = await client.sendText(PHONE_NUMBER_ID, '16505551234', 'retry me', { idempotencyKey: 'turn-3' });
    expect(wamid).toMatch(/^wamid\./);
    expect(server.requests).toHaveLength(2);
  });

  it('rejects a bad recipient or empty text before calling Meta', async () => {
    expect(await sendError(wa().sendText(PHONE_NUMBER_ID, 'not-a-number', 'x'))).toMatchObject({ reason: 'invalid_request', retryable: false });
    expect(await sendError(wa().sendText(PHONE_NUMBER_ID, '16505551234', ''))).toMatchObject({ reason: 'invalid_request' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('Meta Graph client', () => {
  it('fetches a lead with the requested fields and maps it', async () => {
    server.setLead('444444444446', fixture('graph-lead-custom-arabic.json'));
    const lead = await graph().getLead('444444444446');
    const req = server.requests[0]!;
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/v23.0/444444444446');
    expect(req.query.fields).toBe('id,created_time,field_data,ad_id,form_id,campaign_id,is_organic,platform');
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const mapped = mapGraphLead(lead);
    expect(mapped.contact.name).toBe('سارة أحمد');
    expect(mapped.formAnswers['المنطقة_المفضلة']).toBe('دبي مارينا');
  });

  it('classifies an unknown id (100/33) as not_found, not retryable', async () => {
    const err = await graphError(graph().getLead('999999999999'));
    expect(err).toMatchObject({ kind: 'not_found', retryable: false, httpStatus: 400 });
    expect(err.meta).toMatchObject({ code: 100, subcode: 33 });
  });

  it('classifies an expired token (190) as auth: alert, retry later', async () => {
    server.failNext({ method: 'GET' }, { status: 400, body: fixture('graph-error-expired-token.json') });
    const err = await graphError(graph().getLead('444444444444'));
    expect(err).toMatchObject({ kind: 'auth', retryable: true });
    expect(err.meta?.code).toBe(190);
  });

  it.each([4, 17, 32, 613])('classifies code %i as rate_limited', async (code) => {
    server.failNext({ method: 'GET' }, { status: 400, body: { error: { message: 'limit', type: 'OAuthException', code } } });
    expect(await graphError(graph().getLead('444444444444'))).toMatchObject({ kind: 'rate_limited', retryable: true });
  });

  it('classifies 5xx and network failures as transient', async () => {
    server.failNext({ method: 'GET' }, { status: 500, body: { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1 } } });
    expect(await graphError(graph().getLead('444444444444'))).toMatchObject({ kind: 'transient', retryable: true });
    server.failNext({ method: 'GET' }, { drop: true });
    expect(await graphError(graph().getLead('444444444444'))).toMatchObject({ kind: 'transient', retryable: true });
  });

  it('treats a lead body that does not match the documented shape as invalid', async () => {
    server.setLead('444444444448', { created_time: 'x' });
    expect(await graphError(graph().getLead('444444444448'))).toMatchObject({ kind: 'invalid', retryable: false });
  });

  it('rejects a non-numeric leadgen id without a request', async () => {
    expect(await graphError(graph().getLead('../me'))).toMatchObject({ kind: 'invalid' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('signing helper', () => {
  it('produces the header value verifyMetaSignature accepts', () => {
    const raw = readFileSync(new URL('../fixtures/meta/wa-referral.json', import.meta.url));
    expect(verifyMetaSignature(raw, signMetaPayload(raw, 's3cret'), 's3cret')).toBe(true);
    expect(verifyMetaSignature(raw, signMetaPayload(raw, 's3cret'), 'other')).toBe(false);
  });
});
