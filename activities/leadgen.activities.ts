import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { CountryCode } from 'libphonenumber-js';
import type { Logger } from 'pino';
import { mapGraphLead, type LeadgenRef, type MappedGraphLead } from '../domain/leadgen.mapper';
import type { Market } from '../domain/profile.schema';
import { InboundEventRepository } from '../db/inbound-event.repository';
import type { Env } from '../lib/env';
import { MetaGraphError, type MetaGraphClient } from '../channels/leadads/meta-graph.client';
import { createLeadIntake } from '../intake/lead.intake';
import { raiseLeadAlert } from '../intake/lead-alert.raiser';
import { marketForPhone } from '../intake/market.resolver';

// Meta Lead Ads: the webhook carries ids only. These activities fetch the answers from the
// Graph API, and hand the lead to the same intake as every other channel.

export interface LeadgenIntakeInput extends LeadgenRef {
  /** inbound_events row of the webhook body that announced this lead. */
  eventId: string;
}

export interface FetchedLeadgen {
  mapped: MappedGraphLead;
  market: Market;
}

/** Failure types the leadgen intake workflow tells apart. */
export const LEADGEN_FAILURE = {
  notFound: 'LeadgenNotFound',
  invalid: 'LeadgenInvalid',
  auth: 'MetaAuthError',
  notConfigured: 'MetaNotConfigured',
  rateLimited: 'MetaRateLimited',
} as const;

const RATE_LIMIT_RETRY_MS = 60_000;

export interface LeadgenActivityDeps {
  orm: MikroORM;
  redis: Redis;
  /** Client for signal-with-start of the lead workflow (the worker's own connection). */
  temporal: Client;
  env: Env;
  logger: Logger;
  graph?: MetaGraphClient;
}

export function createLeadgenActivities(deps: LeadgenActivityDeps) {
  const intake = createLeadIntake({ orm: deps.orm, temporal: deps.temporal, redis: deps.redis, env: deps.env, logger: deps.logger });

  return {
    async fetchLeadgen(input: LeadgenIntakeInput): Promise<FetchedLeadgen> {
      const attempt = Context.current().info.attempt;
      if (!deps.graph) {
        deps.logger.error({ alert: 'leadads_token', leadgenId: input.leadgenId, attempt }, 'META_LEADS_TOKEN is not set: Lead Ads answers cannot be fetched');
        throw ApplicationFailure.create({ message: 'META_LEADS_TOKEN is not configured', type: LEADGEN_FAILURE.notConfigured, nextRetryDelay: deps.env.LEADADS_AUTH_RETRY_DELAY_MS });
      }
      let lead;
      try {
        lead = await deps.graph.getLead(input.leadgenId);
      } catch (err) {
        if (!(err instanceof MetaGraphError)) throw err;
        switch (err.kind) {
          case 'not_found': {
            // 100/33 also means "missing permissions" (a page token without leads_retrieval, a
            // lead not yet readable): retried with backoff a bounded number of times, then final.
            if (attempt >= deps.env.LEADADS_NOT_FOUND_ATTEMPTS) throw ApplicationFailure.nonRetryable(err.message, LEADGEN_FAILURE.notFound);
            deps.logger.warn({ leadgenId: input.leadgenId, attempt, metaCode: err.meta?.code, metaSubcode: err.meta?.subcode }, 'Graph API does not know this lead (or lacks permission); retrying');
            throw ApplicationFailure.create({ message: err.message, type: LEADGEN_FAILURE.notFound, nextRetryDelay: deps.env.LEADADS_NOT_FOUND_RETRY_DELAY_MS * 2 ** (attempt - 1) });
          }
          case 'invalid':
            throw ApplicationFailure.nonRetryable(err.message, LEADGEN_FAILURE.invalid);
          case 'auth':
            // Nothing we retry fixes a token; ops renew it and the next attempt gets the lead.
            deps.logger.error({ alert: 'leadads_token', leadgenId: input.leadgenId, attempt, metaCode: err.meta?.code }, 'Graph API refused the Lead Ads token; retrying later');
            throw ApplicationFailure.create({ message: err.message, type: LEADGEN_FAILURE.auth, nextRetryDelay: deps.env.LEADADS_AUTH_RETRY_DELAY_MS });
          case 'rate_limited':
            throw ApplicationFailure.create({ message: err.message, type: LEADGEN_FAILURE.rateLimited, nextRetryDelay: RATE_LIMIT_RETRY_MS });
          default:
            throw err;
        }
      }
      const defaultCountry = deps.env.DEFAULT_MARKET as CountryCode;
      const mapped = mapGraphLead(lead, { defaultCountry, ref: { formId: input.formId, ...(input.adId !== undefined && { adId: input.adId }) } });
      const market = marketForPhone(mapped.contact.phoneLenient ?? null, deps.env.DEFAULT_MARKET);
      return { mapped, market };
    },

    async intakeLeadgen(input: { ref: LeadgenIntakeInput; fetched: FetchedLeadgen }): Promise<{ leadId: string; created: boolean; duplicate: boolean }> {
      const { mapped, market } = input.fetched;
      const { ref } = input;
      const result = await intake.ingest({
        identity: {
          // The lenient E.164 form matches the person's WhatsApp contact; the answer as typed is kept too.
          phone: mapped.contact.phoneLenient ?? null,
          phoneRaw: mapped.contact.phoneRaw ?? null,
          email: mapped.contact.email ?? null,
          name: mapped.contact.name ?? null,
          market,
        },
        channel: 'leadads',
        message: mapped.message,
        source: {
          channel: 'leadads',
          ...mapped.attribution,
          page_id: ref.pageId,
          ...(ref.adgroupId !== undefined && { adgroup_id: ref.adgroupId }),
        },
      });
      return { leadId: result.leadId, created: result.created, duplicate: result.duplicate };
    },

    /**
     * The answers could not be fetched for good: the lead is not lost. It is opened with what the
     * webhook told us (page, form, ad, leadgen id) and a note a broker acts on, with an alert.
     */
    async leadgenFailed(input: { ref: LeadgenIntakeInput; reason: string }): Promise<{ leadId: string }> {
      const { ref } = input;
      const result = await intake.ingest({
        identity: { market: deps.env.DEFAULT_MARKET },
        channel: 'leadads',
        message: {
          providerId: ref.leadgenId,
          channel: 'leadads',
          kind: 'system',
          text: `[Lead Ads lead ${ref.leadgenId} (form ${ref.formId ?? 'unknown'}, page ${ref.pageId}): its answers could not be fetched from Meta; find it in Meta's Leads Center]`,
          receivedAt: new Date().toISOString(),
        },
        source: { channel: 'leadads', leadgen_id: ref.leadgenId, form_id: ref.formId ?? null, ad_id: ref.adId ?? null, page_id: ref.pageId, fetch_failed: true },
      });
      await raiseLeadAlert(deps, {
        leadId: result.leadId,
        kind: 'leadgen_fetch_failed',
        body: `The Lead Ads answers could not be fetched (${input.reason.slice(0, 200)})`,
        idempotencyKey: `leadgen-failed:${ref.leadgenId}`,
        meta: { leadgenId: ref.leadgenId, eventId: ref.eventId },
      });
      return { leadId: result.leadId };
    },

    async markLeadgenEventFailed(input: { eventId: string; leadgenId: string; reason: string }): Promise<void> {
      await new InboundEventRepository(deps.orm.em.fork()).markFailed(input.eventId, `leadgen ${input.leadgenId}: ${input.reason}`);
      deps.logger.warn({ eventId: input.eventId, leadgenId: input.leadgenId, reason: input.reason }, 'leadgen could not be taken in');
    },
  };
}

export type LeadgenActivities = ReturnType<typeof createLeadgenActivities>;
