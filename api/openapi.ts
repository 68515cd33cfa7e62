import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AddTaskBody, BrokerMessageBody, ClaimBody, MoveStageBody, QualifyBody } from './routes/lead-commands.routes';
import { LeadListQuery } from '../domain/lead-inbox.schema';
import { SetPasswordBody, SignInBody, ResetRequestBody } from './routes/auth.routes';
import { InviteBody, UpdateUserBody } from './routes/users.routes';
import { AlertPreferencesBody, AlertPreferencesView } from './routes/preferences.routes';
import { CreateSessionBody, TurnBody } from './routes/agent.routes';
import { StartVerificationBody, VerifyBody } from './routes/webchat-verify.routes';
import { LeadDetail, LeadPage } from '../domain/lead-summary.schema';
import { MergeContactBody, MergeResult, SamePersonView } from '../domain/contact-merge.schema';
import { WebChatHistory } from '../domain/webchat-history.schema';
import { LeadMemoryList } from '../domain/lead-memory.schema';
import { InventorySearchQuery } from './routes/inventory.routes';
import { SendUnitBody } from './routes/lead-units.routes';
import { AnalyticsQuery, AnalyticsReport } from '../domain/analytics.schema';

extendZodWithOpenApi(z);

const ErrorEnvelope = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }) })
  .openapi('Error');

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
    summary: 'The Lead Inbox: filter, search, sort and page through leads (unknown parameters are refused)',
    request: { query: LeadListQuery },
    responses: {
      200: { description: 'A page of leads', content: { 'application/json': { schema: LeadPage } } },
      400: errors[400],
    },
  });
  const forbiddenResponse = { description: 'Not a manager or admin', content: { 'application/json': { schema: ErrorEnvelope } } };
  registry.registerPath({
    method: 'get',
    path: '/analytics',
    summary: 'Manager analytics for leads created from `from` to `to` (UTC days; default the last 30): funnel, breakdowns, scores, speed to lead, SLA, AI-only share, replies per follow-up nudge step',
    request: { query: AnalyticsQuery },
    responses: {
      200: {
        description: 'The report (JSON, or CSV with format=csv)',
        content: { 'application/json': { schema: AnalyticsReport }, 'text/csv': { schema: z.string() } },
      },
      400: errors[400],
      403: forbiddenResponse,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/analytics.csv',
    summary: 'The same report as a CSV download (columns section, dimension, key, metric, value)',
    request: { query: AnalyticsQuery },
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, 400: errors[400], 403: forbiddenResponse },
  });
  registry.registerPath({
    method: 'get',
    path: '/leads/{id}',
    summary: 'A stored lead with its live workflow state',
    request: { params: z.object({ id: z.string().uuid() }) },
    responses: { 200: { description: 'The lead', content: { 'application/json': { schema: LeadDetail } } }, ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/leads/{id}/media/{mediaId}',
    summary: 'A file the lead sent (photo, video, voice note, document), as an attachment; 409 while it is fetched or when it could not be kept',
    request: { params: z.object({ id: z.string().uuid(), mediaId: z.string() }) },
    responses: { 200: { description: 'The file, with its own Content-Type' }, 409: errors[400], ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/webhooks/whatsapp',
    summary: 'WhatsApp Cloud API webhook (signed with X-Hub-Signature-256; checked before anything is stored; gzip, deflate and br bodies are decoded)',
    responses: { 200: { description: 'Acknowledged' }, 400: errors[400], 401: errors[400], 413: errors[400], 415: errors[400], 429: errors[400] },
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
  registry.registerPath({
    method: 'get',
    path: '/agent/session/messages',
    summary: "The web chat session's conversation since it began (oldest first, at most 200): a reloaded chat page shows it again",
    request: { headers: z.object({ 'x-session-key': z.string() }) },
    responses: {
      200: { description: 'The messages', content: { 'application/json': { schema: WebChatHistory } } },
      401: { description: 'Missing, unknown or expired session', content: { 'application/json': { schema: ErrorEnvelope } } },
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/agent/verify/start',
    summary: "Send a one-time code to the session's phone (or `phone`) by SMS or WhatsApp: until it comes back, a typed number joins nothing",
    request: { headers: z.object({ 'x-session-key': z.string() }), body: { content: { 'application/json': { schema: StartVerificationBody } } } },
    responses: {
      202: { description: '{ verification: { status: "sent", via, expiresInSeconds } }' },
      400: errors[400],
      401: { description: 'Missing, unknown or expired session', content: { 'application/json': { schema: ErrorEnvelope } } },
      409: { description: 'The number opted out (opted_out)', content: { 'application/json': { schema: ErrorEnvelope } } },
      429: { description: 'Too many codes for this number, session or address', content: { 'application/json': { schema: ErrorEnvelope } } },
      503: { description: 'No SMS or WhatsApp sender, or the code could not be sent', content: { 'application/json': { schema: ErrorEnvelope } } },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/agent/verify',
    summary: 'Whether this chat proved a number (the web chat page shows it after a reload)',
    request: { headers: z.object({ 'x-session-key': z.string() }) },
    responses: {
      200: { description: '{ verification: { status: "verified" | "pending" | "none", phoneEnding: last 4 digits or null } }' },
      401: { description: 'No or unknown session', content: { 'application/json': { schema: ErrorEnvelope } } },
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/agent/verify',
    summary: "Prove the number with the code: the chat joins the number's contact and open lead (or the number joins the chat's contact)",
    request: { headers: z.object({ 'x-session-key': z.string() }), body: { content: { 'application/json': { schema: VerifyBody } } } },
    responses: {
      200: { description: '{ verification: { status: "verified", joinedExistingContact } }' },
      400: { description: 'Wrong code (wrong_code, with attemptsLeft)', content: { 'application/json': { schema: ErrorEnvelope } } },
      410: { description: 'No code waiting (expired, used or too many wrong tries)', content: { 'application/json': { schema: ErrorEnvelope } } },
    },
  });
  // Data rights (#12), admins only; both audited.
  registry.registerPath({
    method: 'get',
    path: '/contacts/{id}/export',
    summary: 'Everything held about a contact (profile, messages, events, tasks, consents, attribution, sessions, audit) as a JSON download (admins)',
    request: { params: z.object({ id: z.string().uuid() }) },
    responses: { 200: { description: 'The export (Content-Disposition: attachment)' }, 403: { description: 'Admins only', content: { 'application/json': { schema: ErrorEnvelope } } }, ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/contacts/{id}/erase',
    summary: "Erase the contact everywhere (Postgres, raw webhook bodies, Redis, sessions; the lead workflows end and their data keys are destroyed); the leads stay as anonymous statistics (admins)",
    request: { params: z.object({ id: z.string().uuid() }) },
    responses: {
      200: { description: '{ erasure: { status: "done", leadIds, contactErased, redactedEvents, destroyedKeys, terminatedWorkflows, suppressed, anonymousLeads: [{ id, channel, stage, market, score, qualified, createdAt, erasedAt }] } }' },
      202: { description: 'Still running after two minutes: { erasure: { status: "running", workflowId } }' },
      403: { description: 'Admins only', content: { 'application/json': { schema: ErrorEnvelope } } },
      ...errors,
    },
  });
  // Same person (#12): a web chat contact whose phone or e-mail was only typed, merged by a broker
  // into the contact that owns it (the other way in, besides a one-time code).
  registry.registerPath({
    method: 'get',
    path: '/contacts/{id}/same-person',
    summary: 'Contacts that may be the same person: the owner of a number or address this chat typed, or chats that typed this contact\'s (brokers, managers, admins)',
    request: { params: z.object({ id: z.string().uuid() }) },
    responses: { 200: { description: 'The candidates, and whom this contact was merged into', content: { 'application/json': { schema: SamePersonView } } }, 403: { description: 'Not a broker, manager or admin', content: { 'application/json': { schema: ErrorEnvelope } } }, ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/contacts/{id}/merge',
    summary: "Merge a web chat contact into the contact that owns its typed number or address: its chat sessions move there (the next turn joins that contact's open lead), its leads stay and are linked (notes on both, same_person_as_id); audited (managers, admins, or the broker who owns one of the leads)",
    request: { params: z.object({ id: z.string().uuid() }), body: { content: { 'application/json': { schema: MergeContactBody } } } },
    responses: {
      200: { description: 'Merged (changed: false when it already was)', content: { 'application/json': { schema: MergeResult } } },
      400: { description: 'Invalid body, or the same contact twice (same_contact)', content: { 'application/json': { schema: ErrorEnvelope } } },
      403: { description: 'Not allowed (forbidden)', content: { 'application/json': { schema: ErrorEnvelope } } },
      404: { description: 'Unknown contact or target (not_found, details name which)', content: { 'application/json': { schema: ErrorEnvelope } } },
      409: { description: 'contact_erased, not_mergeable (its details were proven), already_merged, target_merged', content: { 'application/json': { schema: ErrorEnvelope } } },
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
      responses: { [ok]: { description: 'Done; the lead (or task, or message) as it is now' }, 400: errors[400], 401: rejected('No session or token'), 403: rejected('Your role may not do this to this lead (forbidden): a broker acts on their own leads and claims for themselves'), 404: errors[404], 409: rejected('Not allowed in the lead\'s current state (invalid_transition, already_claimed, not_claimed, opted_out, lead_closed, task_completed, workflow_not_running)'), ...extra },
    });
  command('/leads/{id}/claim', 'Claim the lead (for yourself; managers and admins may name a broker); the AI stops replying', ClaimBody, 200, { 404: rejected('Lead or broker not found (unknown_broker)') });
  command('/leads/{id}/release', 'Hand the lead back to the AI', null, 200, {});
  command('/leads/{id}/stage', 'Move the lead to another pipeline stage. Viewing, negotiation and won need an owner: a broker moving an unowned lead there claims it first (the answer then carries claimedBy); anyone else gets owner_required', MoveStageBody, 200, { 409: rejected("Not allowed in the lead's current state (invalid_transition, owner_required, lead_closed, workflow_not_running)") });
  command('/leads/{id}/qualify', 'Qualify (or disqualify) the lead by hand (managers and admins)', QualifyBody, 200, {});
  command('/leads/{id}/tasks', 'Add a task; its reminder fires when due', AddTaskBody, 201, { 422: rejected('Due in the past (task_due_in_past)') });
  command('/leads/{id}/tasks/{taskId}/complete', 'Complete a task', null, 200, { 404: rejected('Lead or task not found (task_not_found)') });
  command('/leads/{id}/messages', "The owner's message to the lead, on the lead's channel", BrokerMessageBody, 201, {});
  // Sign-in (#11): the web app signs its users in here and forwards `Authorization: Session <token>`;
  // machine clients send `Authorization: Bearer <API_TOKEN>`.
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  registry.registerPath({ method: 'post', path: '/auth/login', summary: 'Sign in with e-mail and password; returns a session token (rate limited per account and address)', request: { body: json(SignInBody) }, responses: { 200: { description: '{ token, expiresAt, user }' }, 401: rejected('Wrong e-mail address or password'), 429: rejected('Too many failed sign-in attempts') } });
  registry.registerPath({ method: 'post', path: '/auth/logout', summary: 'End this session', responses: { 204: { description: 'Signed out' }, 401: rejected('No session') } });
  registry.registerPath({ method: 'get', path: '/auth/me', summary: 'Who is signed in', responses: { 200: { description: '{ user }' }, 401: rejected('No session') } });
  registry.registerPath({ method: 'post', path: '/auth/password-reset', summary: 'E-mail a one-time link to choose a new password (always 202)', request: { body: json(ResetRequestBody) }, responses: { 202: { description: 'Accepted' } } });
  registry.registerPath({ method: 'get', path: '/auth/password/{token}', summary: 'What a one-time link is for (invite or reset)', request: { params: z.object({ token: z.string() }) }, responses: { 200: { description: '{ purpose, name, email }' }, 410: rejected('Expired or used') } });
  registry.registerPath({ method: 'post', path: '/auth/password', summary: 'Set a password with a one-time link; ends every session of the user', request: { body: json(SetPasswordBody) }, responses: { 200: { description: 'Set' }, 410: rejected('Expired or used') } });
  registry.registerPath({ method: 'get', path: '/me/preferences', summary: 'My alert e-mail preferences (offers, escalations, the daily SLA digest)', responses: { 200: { description: 'My preferences', content: { 'application/json': { schema: AlertPreferencesView } } }, 401: rejected('No session'), 403: rejected('The machine token has no preferences') } });
  registry.registerPath({ method: 'put', path: '/me/preferences', summary: 'Turn my offer or escalation e-mails, or the daily SLA digest (managers and admins), on or off', request: { body: json(AlertPreferencesBody) }, responses: { 200: { description: 'My preferences after the change', content: { 'application/json': { schema: AlertPreferencesView } } }, 400: rejected('Invalid body'), 401: rejected('No session'), 403: rejected('The machine token has no preferences') } });
  registry.registerPath({ method: 'get', path: '/users', summary: 'Users (admins)', responses: { 200: { description: '{ items }' }, 403: rejected('Admins only') } });
  registry.registerPath({ method: 'post', path: '/users/invitations', summary: 'Invite a user by e-mail (admins)', request: { body: json(InviteBody) }, responses: { 201: { description: '{ user }' }, 403: rejected('Admins only'), 409: rejected('Already a user, or the broker is linked') } });
  registry.registerPath({ method: 'patch', path: '/users/{id}', summary: 'Change role, deactivate (ends sessions), pause routing, working hours, time zone (admins)', request: { params: z.object({ id: z.string().uuid() }), body: json(UpdateUserBody) }, responses: { 200: { description: '{ user }' }, 403: rejected('Admins only') } });
  registry.registerPath({ method: 'get', path: '/brokers', summary: 'Brokers (id, name, active, paused) to claim leads and take tasks; ?available=true: only those who can take a lead now', responses: { 200: { description: 'The brokers' } } });
  registry.registerPath({ method: 'get', path: '/inventory', summary: 'Units in stock', responses: { 200: { description: 'A page of units' } } });
  registry.registerPath({
    method: 'get',
    path: '/inventory/search',
    summary: 'Hybrid inventory search: the words in q by meaning, the filters pushed down, the fit ranking; each item says why it matched (reasons, match.features)',
    request: { query: InventorySearchQuery },
    responses: { 200: { description: '{ items: [{ unit, score, reasons, match: { fit, similarity, features, missing } }] }' }, 400: errors[400] },
  });
  registry.registerPath({ method: 'get', path: '/inventory/{id}', summary: 'One unit', request: { params: z.object({ id: z.string() }) }, responses: { 200: { description: 'The unit' }, ...errors } });
  registry.registerPath({
    method: 'post',
    path: '/leads/{id}/units',
    summary: "Send one unit to the lead through the lead's channel as the owning broker's message (with why it fits what the lead asked for); recorded on the timeline as unit_sent. Idempotency-Key makes a retry return the first result",
    request: { params: z.object({ id: z.string().uuid() }), body: { content: { 'application/json': { schema: SendUnitBody } } } },
    responses: { 201: { description: '{ message: { messageId, status }, unit: { id, title }, why }' }, 403: errors[400], 409: errors[400], ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/leads/{id}/memories',
    summary: "What the agent remembers about the lead (facts and preferences, each with the message it came from), newest first",
    request: { params: z.object({ id: z.string().uuid() }) },
    responses: { 200: { description: 'The memories', content: { 'application/json': { schema: LeadMemoryList } } }, 403: errors[400], ...errors },
  });
  registry.registerPath({ method: 'get', path: '/healthz', summary: 'Postgres, Redis and Temporal reachability (checked at most once per HEALTHZ_CACHE_MS; `checkedAt` says when)', responses: { 200: { description: 'Healthy' }, 503: { description: 'Degraded' } } });
  registry.registerPath({ method: 'get', path: '/metrics', summary: 'Prometheus metrics', responses: { 200: { description: 'Metrics' } } });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Leadline API', version: '0.1.0' },
  });
}
