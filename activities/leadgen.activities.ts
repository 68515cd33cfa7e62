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
          case 'not_found':
            throw ApplicationFailure.nonRetryable(err.message, LEADGEN_FAILURE.notFound);
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
      const market = marketForPhone(mapped.contact.phoneValid ? mapped.contact.phone : null, deps.env.DEFAULT_MARKET);
      return { mapped, market };
    },

    async intakeLeadgen(input: { ref: LeadgenIntakeInput; fetched: FetchedLeadgen }): Promise<{ leadId: string; created: boolean; duplicate: boolean }> {
      const { mapped, market } = input.fetched;
      const { ref } = input;
      const result = await intake.ingest({
        identity: {
          phone: mapped.contact.phoneValid ? (mapped.contact.phone ?? null) : null,
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

    async markLeadgenEventFailed(input: { eventId: string; leadgenId: string; reason: string }): Promise<void> {
      await new InboundEventRepository(deps.orm.em.fork()).markFailed(input.eventId, `leadgen ${input.leadgenId}: ${input.reason}`);
      deps.logger.warn({ eventId: input.eventId, leadgenId: input.leadgenId, reason: input.reason }, 'leadgen could not be taken in');
    },
  };
}

export type LeadgenActivities = ReturnType<typeof createLeadgenActivities>;
