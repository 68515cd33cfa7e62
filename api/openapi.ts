import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ListLeadsQuery } from './routes/leads.routes';

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
  registry.registerPath({ method: 'get', path: '/inventory', summary: 'Units in stock', responses: { 200: { description: 'A page of units' } } });
  registry.registerPath({ method: 'get', path: '/healthz', summary: 'Postgres, Redis and Temporal reachability', responses: { 200: { description: 'Healthy' }, 503: { description: 'Degraded' } } });
  registry.registerPath({ method: 'get', path: '/metrics', summary: 'Prometheus metrics', responses: { 200: { description: 'Metrics' } } });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Leadline API', version: '0.1.0' },
  });
}
