import { emptyInboundBatch } from '../../domain/inbound-batch.types';
import { mapLeadgenWebhookBody, quoteLeadgenNumericIds, type LeadgenRef } from '../../domain/leadgen.mapper';
import type { ChannelDeps } from '../channel.deps';
import { ChannelParseError, type ChannelAdapter } from '../channel.contract';
import { parseMetaJson, verifyMetaWebhook } from '../meta/meta-webhook';
import { createMetaGraphClient, type MetaGraphClient } from './meta-graph.client';

// Meta Lead Ads webhooks (object "page", field "leadgen") carry ids only: parsing yields
// references (`deferred`) whose answers the leadgen intake workflow fetches from the Graph API.
// Nobody can be answered on a form, so replies go out on WhatsApp (by template outside the
// window) or else SMS, whichever is configured.

export function createLeadAdsChannel(deps: ChannelDeps): ChannelAdapter<LeadgenRef> {
  const { env } = deps;
  return {
    name: 'leadads',
    rules: { freeFormWindowMs: null, maxTextLength: 0, providerHandlesOptOut: false, replyVia: ['whatsapp', 'sms'] },
    configured: false,
    inbound: {
      source: 'leadads',
      signatureHeader: 'X-Hub-Signature-256',
      rejectStatus: 401,
      envelopeName: 'Meta Lead Ads (page/leadgen) webhook',
      verify: (request) => verifyMetaWebhook(request, env.LEADADS_APP_SECRET ?? env.WHATSAPP_APP_SECRET),
      parse(request) {
        // Ids above 2^53 would change in JSON.parse; quote them first (the signature saw the original bytes).
        const result = mapLeadgenWebhookBody(parseMetaJson(request.rawBody, (text) => JSON.parse(quoteLeadgenNumericIds(text))));
        const invalid = result.skipped.find((s) => s.reason === 'invalid_envelope');
        if (invalid) throw new ChannelParseError('invalid_envelope', 'Body is not a Meta Lead Ads (page/leadgen) webhook envelope', invalid.detail);
        return { ...emptyInboundBatch(), skipped: result.skipped.map((s) => ({ ...s })), deferred: result.refs };
      },
    },
    canReach: () => false,
    async send() {
      return { status: 'failed', providerId: null, error: 'a Lead Ads form cannot be answered; the reply router picks WhatsApp or SMS' };
    },
  };
}

/** The Graph client the leadgen activities fetch answers with, when META_LEADS_TOKEN is set. */
export function createLeadAdsGraphClient(env: ChannelDeps['env']): MetaGraphClient | undefined {
  return env.META_LEADS_TOKEN ? createMetaGraphClient({ baseUrl: env.META_GRAPH_URL, token: env.META_LEADS_TOKEN, apiVersion: env.META_API_VERSION }) : undefined;
}
