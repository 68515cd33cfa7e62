import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ListLeadsQuery } from './routes/leads.routes';
import { CreateSessionBody, TurnBody } from './routes/agent.routes';
import { AddTaskInput, BrokerMessageInput, ClaimInput, MoveStageInput, OverrideQualificationInput } from '../domain/lead-stage.rules';

extendZodWithOpenApi(z);

const ErrorEnvelope = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }) })
  .openapi('Error');

const LeadSummary = z
  .object({
    id: z.string().uuid(),
    workflowId: z.string(),
    channel: z.enum(['whatsapp', 'web', 'leadads']),
    stage: z.string(),
    score: z.number().int().nullable(),
    qualified: z.boolean(),
    ownerId: z.string().nullable(),
    market: z.string(),
    lastMessageAt: z.string().nullable(),
    nextFollowUpAt: z.string().nullable(),
    slaDueAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('LeadSummary');

// Built from the same zod schemas the routes validate with, so the document cannot drift.
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  const errors = {
    400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorEnvelope } } },
    404: { description: 'Not found', content: { 'application/json': { schema: ErrorEnvelope } } },
  };
  registry.registerPath({
    method: 'get',
    path: '/leads',
    summary: 'List leads, newest first',
    request: { query: ListLeadsQuery },
    responses: {
      200: { description: 'A page of leads', content: { 'application/json': { schema: z.object({ items: z.array(LeadSummary), total: z.number() }) } } },
      400: errors[400],
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/leads/{id}',
    summary: 'A stored lead with its live workflow state',
    request: { params: z.object({ id: z.string().uuid() }) },
    responses: { 200: { description: 'The lead' }, ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/webhooks/whatsapp',
    summary: 'WhatsApp Cloud API webhook (signed with X-Hub-Signature-256)',
    responses: { 200: { description: 'Acknowledged' }, 400: errors[400], 401: errors[400], 413: errors[400] },
  });
  registry.registerPath({
    method: 'get',
    path: '/webhooks/whatsapp',
    summary: 'WhatsApp webhook verification (hub.mode, hub.verify_token, hub.challenge)',
    responses: { 200: { description: 'The challenge, as text/plain' }, 403: errors[400] },
  });
  registry.registerPath({
    method: 'get',
    path: '/webhooks/leadads',
    summary: 'Meta Lead Ads webhook verification (hub.mode, hub.verify_token, hub.challenge)',
    responses: { 200: { description: 'The challenge, as text/plain' }, 403: errors[400] },
  });
  registry.registerPath({
    method: 'post',
    path: '/webhooks/leadads',
    summary: 'Meta Lead Ads webhook (page/leadgen, signed with X-Hub-Signature-256): each lead is fetched from the Graph API by a workflow',
    responses: { 200: { description: 'Acknowledged' }, 400: errors[400], 401: errors[400], 413: errors[400] },
  });
  registry.registerPath({
    method: 'post',
    path: '/webhooks/sms',
    summary: 'Twilio incoming message webhook (form-encoded, signed with X-Twilio-Signature); answers TwiML',
    responses: { 200: { description: 'TwiML (a help text for HELP, empty otherwise)' }, 400: errors[400], 403: errors[400], 413: errors[400] },
  });
  registry.registerPath({
    method: 'post',
    path: '/webhooks/sms/status',
    summary: 'Twilio status callback of a reply (MessageSid, MessageStatus, ErrorCode; signed): delivery status moves forward only',
    responses: { 200: { description: 'Acknowledged' }, 400: errors[400], 403: errors[400] },
  });
  registry.registerPath({
    method: 'post',
    path: '/agent/session',
    summary: 'Start a web chat session; the returned key goes in X-Session-Key',
    request: { body: { content: { 'application/json': { schema: CreateSessionBody } } } },
    responses: {
      201: { description: 'The session', content: { 'application/json': { schema: z.object({ sessionId: z.string(), sessionKey: z.string(), expiresAt: z.string() }) } } },
      400: errors[400],
      429: { description: 'Too many sessions from this address (Retry-After)', content: { 'application/json': { schema: ErrorEnvelope } } },
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/agent/turn',
    summary: 'One web chat message; the reply streams back as Server-Sent Events (accepted, chunk…, turn | error)',
    request: { headers: z.object({ 'x-session-key': z.string().optional() }), body: { content: { 'application/json': { schema: TurnBody } } } },
    responses: {
      200: { description: 'text/event-stream' },
      400: errors[400],
      401: { description: 'Missing, unknown or expired session', content: { 'application/json': { schema: ErrorEnvelope } } },
      429: { description: 'Too many turns from this contact (Retry-After)', content: { 'application/json': { schema: ErrorEnvelope } } },
    },
  });
  // Lead lifecycle (#4): broker commands, each a validated workflow update. An Idempotency-Key
  // header makes a retried request return the first result instead of acting twice.
  const rejected = (description: string) => ({ description, content: { 'application/json': { schema: ErrorEnvelope } } });
  const command = (path: string, summary: string, body: z.ZodType | null, ok: number, extra: Record<number, ReturnType<typeof rejected>>) =>
    registry.registerPath({
      method: 'post',
      path,
      summary,
      request: {
        params: z.object({ id: z.string().uuid(), ...(path.includes('{taskId}') ? { taskId: z.string() } : {}) }),
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        ...(body ? { body: { content: { 'application/json': { schema: body } } } } : {}),
      },
      responses: { [ok]: { description: 'Done; the lead (or task, or message) as it is now' }, 400: errors[400], 404: errors[404], 409: rejected('Not allowed in the lead\'s current state (invalid_transition, already_claimed, not_claimed, opted_out, lead_closed, task_completed, workflow_not_running)'), ...extra },
    });
  command('/leads/{id}/claim', 'A broker claims the lead; the AI stops replying', ClaimInput, 200, { 404: rejected('Lead or broker not found (unknown_broker)') });
  command('/leads/{id}/release', 'Hand the lead back to the AI', null, 200, {});
  command('/leads/{id}/stage', 'Move the lead to another pipeline stage', MoveStageInput, 200, {});
  command('/leads/{id}/qualify', 'Qualify (or disqualify) the lead by hand', OverrideQualificationInput, 200, {});
  command('/leads/{id}/tasks', 'Add a task; its reminder fires when due', AddTaskInput, 201, { 422: rejected('Due in the past (task_due_in_past)') });
  command('/leads/{id}/tasks/{taskId}/complete', 'Complete a task', null, 200, { 404: rejected('Lead or task not found (task_not_found)') });
  command('/leads/{id}/messages', "The owner's message to the lead, on the lead's channel", BrokerMessageInput, 201, {});
  registry.registerPath({ method: 'get', path: '/brokers', summary: 'Brokers (id, name, active, paused) to claim leads and take tasks; ?available=true: only those who can take a lead now', responses: { 200: { description: 'The brokers' } } });
  registry.registerPath({ method: 'get', path: '/inventory', summary: 'Units in stock', responses: { 200: { description: 'A page of units' } } });
  registry.registerPath({ method: 'get', path: '/healthz', summary: 'Postgres, Redis and Temporal reachability', responses: { 200: { description: 'Healthy' }, 503: { description: 'Degraded' } } });
  registry.registerPath({ method: 'get', path: '/metrics', summary: 'Prometheus metrics', responses: { 200: { description: 'Metrics' } } });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Leadline API', version: '0.1.0' },
  });
}
