import { randomInt, randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboundEventRepository } from '../../db/inbound-event.repository';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';
import { eventually, startHarness, type Harness } from '../support/harness';
import { graphLead, leadgenWebhook, randomLeadgenId } from '../support/leadads.payloads';
import { postWebhook } from '../support/whatsapp.payloads';

// WEBHOOK_ACK=async for Meta Lead Ads (#13): a campaign's burst of leadgen webhooks is answered
// once each event is stored; the hand-on starts the leads' intake workflows behind the ack. An
// event an instance acknowledged and never handed on (it died) is found by the sweep, and a
// failure a workflow recorded is never overwritten by the hand-on finishing after it.

const SECRET = 'leadads-async-secret';
const TOKEN = 'page-token';

describe('Lead Ads acknowledged before the hand-on, and the sweep of unfinished events', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const post = (body: string) => postWebhook(h.baseUrl, body, { secret: SECRET, path: '/webhooks/leadads' });
  const newPhone = () => `+9715${String(randomInt(0, 1e8)).padStart(8, '0')}`;
  const leadOf = (leadgenId: string) =>
    eventually(async () => (await sql<{ lead_id: string; body: string }>(`select lead_id, body from timeline_entries where provider_id = ?`, [leadgenId]))[0], `the lead of leadgen ${leadgenId}`);
  const eventStatus = async (id: string) => (await sql<{ status: string; error: string | null; provider_ids: string[] }>('select status, error, provider_ids from inbound_events where id = ?', [id]))[0]!;

  beforeAll(async () => {
    meta = await startFakeMetaServer({ token: TOKEN });
    // A sweep every 10 s (its floor) of events left `received` for more than 2 s.
    h = await startHarness({
      env: {
        WEBHOOK_ACK: 'async',
        WEBHOOK_HANDON_SWEEP_AFTER_MS: '2000',
        LEADADS_APP_SECRET: SECRET,
        META_LEADS_TOKEN: TOKEN,
        META_GRAPH_URL: meta.baseUrl,
        LEADADS_NOT_FOUND_ATTEMPTS: '2',
        LEADADS_NOT_FOUND_RETRY_DELAY_MS: '100',
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await meta?.close();
  });

  it('answers once the event is stored, then starts the intake and marks the event processed', async () => {
    const leadgenId = randomLeadgenId();
    meta.setLead(leadgenId, graphLead('graph-lead-standard.json', { id: leadgenId, phone: newPhone(), email: `async-${randomUUID()}@example.com` }));
    const res = await post(leadgenWebhook(leadgenId));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ received: true, queued: true, leads: 1, skipped: 0 });
    expect(res.json.started).toBeUndefined();

    const event = await eventually(async () => {
      const e = await eventStatus(String(res.json.eventId));
      return e.status === 'processed' ? e : undefined;
    }, 'the event handed on');
    expect(event.provider_ids).toEqual([leadgenId]);
    expect(await h.temporal.workflow.getHandle(`leadgen-${leadgenId}`).result()).toMatchObject({ status: 'ingested' });
    expect((await leadOf(leadgenId)).body).toContain('car_make: Honda');
  });

  it('keeps the failure an intake workflow records: an unknown leadgen id leaves the event failed', async () => {
    const leadgenId = randomLeadgenId();
    const res = await post(leadgenWebhook(leadgenId));
    expect(res.status).toBe(200);
    expect(res.json.queued).toBe(true);
    // The ack does not wait for the intake workflow to start: asking for its result at once
    // could find no workflow yet, so wait until the hand-on has started it.
    const handle = h.temporal.workflow.getHandle(`leadgen-${leadgenId}`);
    await eventually(() => handle.describe().catch(() => undefined), `the intake workflow of leadgen ${leadgenId}`);
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const event = await eventStatus(String(res.json.eventId));
    expect(event.status).toBe('failed');
    expect(event.error).toMatch(new RegExp(`leadgen ${leadgenId}: LeadgenNotFound`));

    // The other order: the workflow marks it failed before the hand-on finishes. The hand-on's
    // finish only applies to an event still `received`, so the failure stands.
    const events = new InboundEventRepository(h.orm.em.fork());
    const raced = await events.record({ source: 'leadads', rawBody: leadgenWebhook(randomLeadgenId()), contentType: 'application/json', signatureValid: true });
    await events.markFailed(raced.id, 'leadgen 1: LeadgenNotFound');
    expect(await events.finishIfReceived(raced.id, 'processed', { providerIds: ['1'] })).toBe(false);
    expect(await eventStatus(raced.id)).toMatchObject({ status: 'failed', provider_ids: [] });
  });

  it('takes in a Lead Ads event an instance acknowledged but never handed on', async () => {
    const leadgenId = randomLeadgenId();
    meta.setLead(leadgenId, graphLead('graph-lead-standard.json', { id: leadgenId, phone: newPhone(), email: `swept-${randomUUID()}@example.com` }));
    const events = new InboundEventRepository(h.orm.em.fork());
    const stored = await events.record({ source: 'leadads', rawBody: leadgenWebhook(leadgenId), contentType: 'application/json', signatureValid: true });
    // Acknowledged a minute ago by an instance that died before handing it on.
    await sql(`update inbound_events set received_at = now() - interval '1 minute' where id = ?`, [stored.id]);

    const event = await eventually(async () => {
      const e = await eventStatus(stored.id);
      return e.status === 'processed' ? e : undefined;
    }, 'the event swept and taken in', 90_000);
    expect(event.provider_ids).toEqual([leadgenId]);
    expect(await h.temporal.workflow.getHandle(`leadgen-${leadgenId}`).result()).toMatchObject({ status: 'ingested' });
    expect((await leadOf(leadgenId)).body).toContain('car_make: Honda');
  }, 120_000);
});
