import { randomBytes } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { inject } from 'vitest';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/lead.activities';
import { createReplies } from '../../temporal/worker.factory';
import type { Agent } from '../../domain/agent.types';
import type { VectorStack } from '../../lib/vector/vector.factory';
import { LeadRepository } from '../../db/lead.repository';
import type { InboundMessage } from '../../domain/inbound-message.schema';
import type { LeadSettings, LeadState } from '../../domain/lead-state.model';
import type { LeadWorkflowInput, leadWorkflow } from '../../workflows/lead.workflow';
import { newLeadSearchAttributes } from '../../temporal/search-attributes';
import { eventually, machineAuth, type Harness } from '../support/harness';
import { testWaId } from '../support/whatsapp.payloads';

// Helpers for the lead lifecycle tests: leads created straight through the repository and
// started with explicit (short) lifecycle settings, so every timer runs in seconds.

/** Short durations, quiet hours off, UTC; override per test. */
export function fastSettings(overrides: Partial<LeadSettings> = {}): Partial<LeadSettings> {
  return {
    slaMs: 60_000,
    maxEscalations: 3,
    followUp: { cadenceMs: [3_600_000], nurtureEveryMs: 0, nurtureUntilMs: 3_600_000 },
    quietHours: { startMinute: 0, endMinute: 0 },
    timeZone: 'UTC',
    continueAsNewAfterEvents: 0,
    ...overrides,
  };
}

export interface TestLead {
  leadId: string;
  workflowId: string;
  handle: WorkflowHandle<typeof leadWorkflow>;
}

/** A contact and open lead in Postgres, and its workflow started (with a first message when given). */
export async function startLead(h: Harness, options: { settings?: Partial<LeadSettings>; first?: string; timeZone?: string; coalesceMs?: number } = {}): Promise<TestLead> {
  const em = h.orm.em.fork();
  const repo = new LeadRepository(em);
  const contact = await repo.resolveContact({ waId: testWaId(), name: 'Lifecycle Test', market: 'AE' });
  if (options.timeZone) await em.getConnection().execute('update contacts set time_zone = ? where id = ?', [options.timeZone, contact.id]);
  const { lead } = await repo.openLeadFor(contact, 'whatsapp');
  const input: LeadWorkflowInput = {
    leadId: lead.id,
    market: 'AE',
    channel: 'whatsapp',
    createdAt: lead.createdAt.toISOString(),
    coalesceMs: options.coalesceMs ?? 0,
    settings: options.settings ?? fastSettings(),
    patchFold: 2,
  };
  const common = {
    workflowId: lead.workflowId,
    taskQueue: h.env.TEMPORAL_TASK_QUEUE,
    args: [input] as [LeadWorkflowInput],
    typedSearchAttributes: newLeadSearchAttributes('whatsapp'),
  };
  const handle = options.first
    ? await h.temporal.workflow.signalWithStart<typeof leadWorkflow, [InboundMessage]>('leadWorkflow', { ...common, signal: 'inbound', signalArgs: [inbound(options.first)] })
    : await h.temporal.workflow.start<typeof leadWorkflow>('leadWorkflow', common);
  return { leadId: lead.id, workflowId: lead.workflowId, handle: h.temporal.workflow.getHandle(handle.workflowId) };
}

export function inbound(text: string, providerId = `wamid.TEST${randomBytes(10).toString('hex')}`): InboundMessage {
  return { providerId, channel: 'whatsapp', kind: 'text', text, receivedAt: new Date().toISOString() };
}

export async function stateOf(lead: TestLead): Promise<LeadState> {
  return lead.handle.query<LeadState>('state');
}

export async function waitForState(lead: TestLead, predicate: (s: LeadState) => boolean, what: string, timeoutMs = 30_000): Promise<LeadState> {
  return eventually(async () => {
    const s = await stateOf(lead);
    return predicate(s) ? s : undefined;
  }, what, timeoutMs);
}

export interface TimelineRow {
  type: string;
  actor: string;
  direction: string | null;
  body: string | null;
  idempotency_key: string | null;
  meta: Record<string, unknown> | null;
}

export async function timeline(h: Harness, leadId: string, type?: string): Promise<TimelineRow[]> {
  return h.orm.em
    .fork()
    .getConnection()
    .execute<TimelineRow[]>(
      `select type, actor, direction, body, idempotency_key, meta from timeline_entries where lead_id = ? ${type ? 'and type = ?' : ''} order by created_at asc, id asc`,
      type ? [leadId, type] : [leadId],
    );
}

/** The lead's read-model row, times as ISO strings. */
export async function leadRow(h: Harness, leadId: string) {
  const rows = await h.orm.em
    .fork()
    .getConnection()
    .execute<{ status: string; owner_id: string | null; score: number | null; qualified: boolean; next_follow_up_at: Date | string | null; sla_due_at: Date | string | null }[]>(
      'select status, owner_id, score, qualified, next_follow_up_at, sla_due_at from leads where id = ?',
      [leadId],
    );
  const row = rows[0]!;
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return { ...row, next_follow_up_at: iso(row.next_follow_up_at), sla_due_at: iso(row.sla_due_at) };
}

export async function post(h: Harness, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> & { error?: { code: string; message: string; details: unknown } } }> {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...machineAuth },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string; details: unknown } } };
}

/** Collects every message published on a Redis channel until `stop()`. */
export async function subscribe(redis: Redis, channel: string): Promise<{ messages: Array<Record<string, unknown>>; stop(): Promise<void> }> {
  const sub = redis.duplicate();
  const messages: Array<Record<string, unknown>> = [];
  sub.on('message', (ch: string, raw: string) => {
    if (ch === channel) messages.push(JSON.parse(raw) as Record<string, unknown>);
  });
  await sub.subscribe(channel);
  return {
    messages,
    async stop() {
      await sub.unsubscribe(channel).catch(() => undefined);
      sub.disconnect();
    },
  };
}

/**
 * A worker on the harness's task queue whose agent is `agent` (the real activities otherwise):
 * how a test makes agent turns fail. Start the harness with `worker: false`.
 */
/** A worker on the harness's queue with this agent (and, when given, this vector stack for lead memories). */
export async function startWorkerWithAgent(h: Harness, agent: Agent, options: { vectors?: VectorStack } = {}): Promise<{ stop(): Promise<void> }> {
  const connection = await NativeConnection.connect({ address: h.env.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    taskQueue: h.env.TEMPORAL_TASK_QUEUE,
    dataConverter: h.encryption.dataConverter,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({ orm: h.orm, redis: h.redis, agent, channels: createReplies(h), logger: h.logger, env: h.env, ...(options.vectors && { vectors: options.vectors }) }),
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
