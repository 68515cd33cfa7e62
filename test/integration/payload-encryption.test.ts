import { apiSession } from '../support/sign-in';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { temporalCli } from '../../lib/paths';
import { createPayloadEncryption } from '../../temporal/codec/data-converter';
import { DataKeyDestroyedError, DataKeyUnavailableError } from '../../temporal/codec/data-key.store';
import { ENCRYPTED_ENCODING, METADATA_KEY_ID, METADATA_MASTER_KEY_ID } from '../../temporal/codec/encryption.codec';
import { keyring } from '../../temporal/codec/master-keys';
import { eventually, startHarness, type Harness } from '../support/harness';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// Issue 12: nothing a lead says reaches Temporal in clear text; ops read it through /codec.

const SECRET = 'test-app-secret';
const CODEC_TOKEN = 'codec-token-for-tests-0123456789';
const NAME = 'Mark Taylor';
const EMAIL = 'mark.taylor@example.com';
const TEXT = `Call me on +971 50 123 4567 or ${EMAIL}, looking for a 2 bed in Dubai Marina`;

type JsonPayload = { metadata: Record<string, string>; data: string };
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});
const metaText = (p: JsonPayload, key: string) => (p.metadata[key] ? Buffer.from(p.metadata[key], 'base64').toString('utf8') : undefined);
const dataText = (p: JsonPayload) => Buffer.from(p.data, 'base64').toString('utf8');

/**
 * Every string and every byte field (as UTF-8) anywhere in the history, and every payload but
 * the SDK's own patch markers (`{"id":"<patch>","deprecated":false}`) and local-activity
 * bookkeeping, both written below the codec.
 */
function scan(value: unknown, out: { texts: string[]; payloads: Payload[] } = { texts: [], payloads: [] }, key = '', collect = true) {
  if (value instanceof Uint8Array) out.texts.push(Buffer.from(value).toString('utf8'));
  else if (typeof value === 'string') out.texts.push(value);
  else if (Array.isArray(value)) for (const v of value) scan(v, out, key, collect);
  else if (value && typeof value === 'object') {
    // Search attributes are indexed plain by design (temporal/search-attributes.ts holds no personal data).
    if (key === 'searchAttributes') return out;
    const obj = value as Record<string, unknown>;
    if (key === 'markerRecordedEventAttributes' && obj.markerName === 'core_local_activity') {
      // A local activity's result is ours (encrypted); its `data` is the SDK's own bookkeeping
      // (seq, attempt, activity type, times), written below the codec like a patch marker.
      const { details, ...rest } = obj as { details?: Record<string, unknown> };
      for (const [k, v] of Object.entries(rest)) scan(v, out, k, collect);
      for (const [k, v] of Object.entries(details ?? {})) scan(v, out, k, collect && k !== 'data');
      return out;
    }
    const inner = collect && !(key === 'markerRecordedEventAttributes' && obj.markerName === 'core_patch');
    if (inner && obj.metadata && typeof obj.metadata === 'object' && 'data' in obj) out.payloads.push(obj as Payload);
    for (const [k, v] of Object.entries(obj)) scan(v, out, k, inner);
  }
  return out;
}

describe('encrypted Temporal payloads and the codec endpoint', () => {
  let h: Harness;
  let leadId: string;
  let workflowId: string;
  let history: temporal.api.history.v1.IHistory;

  const decodeRequest = (payloads: JsonPayload[], headers: Record<string, string> = {}) =>
    fetch(`${h.baseUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: JSON.stringify({ payloads }),
    });

  beforeAll(async () => {
    h = await startHarness({ env: { WHATSAPP_APP_SECRET: SECRET, CODEC_AUTH_TOKEN: CODEC_TOKEN } });
    const waId = testWaId();
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, name: NAME, text: TEXT }), { secret: SECRET })).status).toBe(200);
    leadId = await eventually(async () => {
      const rows = await h.orm.em.fork().getConnection().execute<{ id: string; n: string }[]>(
        `select l.id, (select count(*) from timeline_entries a where a.lead_id = l.id and a.direction = 'out')::text as n
         from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?`,
        [waId],
      );
      return rows[0] && rows[0].n !== '0' ? rows[0].id : undefined;
    }, 'the lead and its first reply');
    workflowId = `lead-${leadId}`;
    // A failed update puts a failure (with its message) in history too.
    const failed = await h.temporal.workflow.getHandle(workflowId).executeUpdate('claim', { args: [{ brokerId: 'broker-ghost' }] }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((failed as WorkflowUpdateFailedError).cause as ApplicationFailure).message).toContain('broker-ghost');
    history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
  });
  afterAll(async () => h?.close());

  it('keeps the message, name, phone and email out of the raw history', () => {
    const { texts, payloads } = scan(history);
    const all = texts.join('\n');
    for (const secret of [EMAIL, NAME, '123 4567', 'Dubai Marina', 'broker-ghost']) expect(all).not.toContain(secret);
    expect(payloads.length).toBeGreaterThan(5);
    // local activities' results (the lead's messages went through recordInbound) are among them
    expect((history.events ?? []).some((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity' && e.markerRecordedEventAttributes.details?.result)).toBe(true);
    const encodings = new Set(payloads.map((p) => Buffer.from(p.metadata!.encoding!).toString('utf8')));
    expect([...encodings]).toEqual([ENCRYPTED_ENCODING]);
    expect(new Set(payloads.map((p) => Buffer.from(p.metadata![METADATA_MASTER_KEY_ID]!).toString('utf8')))).toEqual(new Set(['dev']));
    // The update's failure message went into an (encrypted) payload.
    const failure = (history.events ?? []).find((e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.failure)?.workflowExecutionUpdateCompletedEventAttributes?.outcome?.failure;
    expect(failure?.message).toBe('Encoded failure');
    expect(failure?.encodedAttributes?.metadata?.encoding && Buffer.from(failure.encodedAttributes.metadata.encoding).toString()).toBe(ENCRYPTED_ENCODING);
  });

  it('shows ciphertext to `temporal workflow show`, and plain text through the codec endpoint with the token', async () => {
    // Asynchronously: the CLI calls back into this process's API for the codec.
    const show = async (...extra: string[]) =>
      (await promisify(execFile)(temporalCli, ['workflow', 'show', '--workflow-id', workflowId, '--address', h.env.TEMPORAL_ADDRESS, '--output', 'json', ...extra], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 })).stdout;
    const shown = await show();
    expect(shown).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED');
    for (const secret of [EMAIL, NAME, '123 4567', 'Dubai Marina']) expect(shown).not.toContain(secret);

    // Temporal's own client speaking the remote codec protocol to /codec.
    const signalText = (json: string) => {
      const events = (JSON.parse(json) as { events: Array<{ workflowExecutionSignaledEventAttributes?: { input: { payloads: JsonPayload[] } } }> }).events;
      return dataText(events.find((e) => e.workflowExecutionSignaledEventAttributes)!.workflowExecutionSignaledEventAttributes!.input.payloads[0]!);
    };
    expect(signalText(shown)).not.toContain(EMAIL);
    expect(signalText(await show('--codec-endpoint', `${h.baseUrl}/codec`, '--codec-auth', `Bearer ${CODEC_TOKEN}`))).toContain(TEXT);
    const refused = await show('--codec-endpoint', `${h.baseUrl}/codec`).catch((err: { stdout?: string }) => err.stdout ?? '');
    expect(refused === '' || !signalText(refused).includes(EMAIL)).toBe(true);
  });

  it('decodes through /codec/decode for the token holder, and only for them', async () => {
    const encrypted = scan(history).payloads.map(toJson);
    expect((await decodeRequest(encrypted)).status).toBe(401);
    const wrong = await decodeRequest(encrypted, { authorization: 'Bearer not-the-codec-token-at-all' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'unauthorized' } });

    const res = await decodeRequest(encrypted, { authorization: `Bearer ${CODEC_TOKEN}` });
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: JsonPayload[] };
    expect(payloads).toHaveLength(encrypted.length);
    expect(payloads.every((p) => metaText(p, 'encoding') !== ENCRYPTED_ENCODING)).toBe(true);
    const readable = payloads.map(dataText).join('\n');
    expect(readable).toContain(TEXT);
    expect(readable).toContain('broker-ghost');
  });

  it('decodes for a signed-in admin (header or the web session cookie) and refuses managers and brokers', async () => {
    const encrypted = scan(history).payloads.map(toJson);
    const admin = await apiSession(h.baseUrl, 'admin@example.com');
    const viaHeader = await decodeRequest(encrypted, admin);
    expect(viaHeader.status).toBe(200);
    expect(((await viaHeader.json()) as { payloads: JsonPayload[] }).payloads.map(dataText).join('\n')).toContain(TEXT);
    // The Temporal UI's fetch carries the web app's session cookie (same site): React Router's unsigned cookie value.
    const token = admin.authorization!.slice('Session '.length);
    const cookie = `leadline_session=${encodeURIComponent(Buffer.from(JSON.stringify(token)).toString('base64'))}`;
    expect((await decodeRequest(encrypted, { cookie })).status).toBe(200);
    for (const email of ['manager@example.com', 'james@example.com']) {
      const res = await decodeRequest(encrypted, await apiSession(h.baseUrl, email));
      expect(res.status, email).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect((await decodeRequest(encrypted, { authorization: 'Session not-a-session' })).status).toBe(401);
  });

  it('lets the Temporal UI in: CORS for its origin, and a cookie session bought with the token', async () => {
    const preflight = await fetch(`${h.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:8233', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    const foreign = await fetch(`${h.baseUrl}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    expect((await fetch(`${h.baseUrl}/codec/session`, { method: 'POST', body: new URLSearchParams({ token: 'wrong-token-wrong-token' }) })).status).toBe(401);
    const session = await fetch(`${h.baseUrl}/codec/session`, { method: 'POST', body: new URLSearchParams({ token: CODEC_TOKEN }) });
    expect(session.status).toBe(200);
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toMatch(/^leadline_codec=/);
    const encrypted = scan(history).payloads.slice(0, 2).map(toJson);
    const res = await decodeRequest(encrypted, { cookie, origin: 'http://127.0.0.1:8233' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect(((await res.json()) as { payloads: JsonPayload[] }).payloads.every((p) => metaText(p, 'encoding') !== ENCRYPTED_ENCODING)).toBe(true);
    expect((await decodeRequest(encrypted, { cookie: 'leadline_codec=9999999999999.forged' })).status).toBe(401);
  });

  it('keeps payloads readable after the master key is rotated', async () => {
    const a = { id: 'rot-a', key: randomBytes(32) };
    const b = { id: 'rot-b', key: randomBytes(32) };
    const context = { type: 'workflow' as const, namespace: 'default', workflowId: `lead-${randomUUID()}` };
    const plain: Payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify({ text: TEXT })) };

    const underA = createPayloadEncryption(h.env, h.orm, keyring([a]));
    const [sealed] = await underA.codec.encode([plain], context);
    expect(Buffer.from(sealed!.metadata![METADATA_MASTER_KEY_ID]!).toString()).toBe('rot-a');
    const keyId = Buffer.from(sealed!.metadata![METADATA_KEY_ID]!).toString();

    // Rotate: B is active, A still listed. Old payloads decode, and the data key moves under B.
    const rotated = createPayloadEncryption(h.env, h.orm, keyring([a, b], 'rot-b'));
    expect(Buffer.from((await rotated.codec.decode([sealed!]))[0]!.data!).toString()).toContain(EMAIL);
    const [again] = await rotated.codec.encode([plain], context);
    expect(Buffer.from(again!.metadata![METADATA_KEY_ID]!).toString()).toBe(keyId);
    expect(Buffer.from(again!.metadata![METADATA_MASTER_KEY_ID]!).toString()).toBe('rot-b');
    const rows = await h.orm.em.fork().getConnection().execute<{ master_key_id: string }[]>('select master_key_id from data_keys where id = ?', [keyId]);
    expect(rows[0]!.master_key_id).toBe('rot-b');

    // A retired: still readable with B alone; a deployment without B cannot read it.
    const onlyB = createPayloadEncryption(h.env, h.orm, keyring([b]));
    expect(Buffer.from((await onlyB.codec.decode([sealed!]))[0]!.data!).toString()).toContain(EMAIL);
    const stranger = createPayloadEncryption(h.env, h.orm, keyring([{ id: 'other', key: randomBytes(32) }]));
    await expect(stranger.codec.decode([sealed!])).rejects.toBeInstanceOf(DataKeyUnavailableError);

    // The key id is authenticated: relabelling a payload with another key id fails.
    const [otherLead] = await onlyB.codec.encode([plain], { ...context, workflowId: `lead-${randomUUID()}` });
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, [METADATA_KEY_ID]: otherLead!.metadata![METADATA_KEY_ID]! } };
    await expect(onlyB.codec.decode([relabelled])).rejects.toThrow();
  });

  it('crypto-shreds a lead: after destroyLeadKey its history no longer decodes', async () => {
    const encrypted = scan(history).payloads;
    expect(await h.encryption.destroyLeadKey(leadId)).toBe(1);
    await expect(h.encryption.codec.decode(encrypted)).rejects.toBeInstanceOf(DataKeyDestroyedError);
    // A fresh process (empty cache) cannot either.
    await expect(createPayloadEncryption(h.env, h.orm).codec.decode(encrypted.slice(0, 1))).rejects.toBeInstanceOf(DataKeyDestroyedError);

    const res = await decodeRequest(encrypted.map(toJson), { authorization: `Bearer ${CODEC_TOKEN}` });
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: JsonPayload[] };
    expect(payloads.every((p) => metaText(p, 'encoding') === ENCRYPTED_ENCODING)).toBe(true);
    expect(payloads.map(dataText).join('\n')).not.toContain(EMAIL);
    expect(Number(res.headers.get('x-codec-undecodable'))).toBe(encrypted.length);
  });
});
