import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { SharedCard } from '../domain/lead-intent.detector';
import type { Market } from '../domain/profile.schema';
import { LeadRepository } from '../db/lead.repository';
import { createLeadIntake } from '../intake/lead.intake';
import { marketForPhone } from '../intake/market.resolver';
import type { Env } from '../lib/env';

// A lead shared the contact card of someone looking for property: that person becomes a lead
// of their own, through the same intake as every channel, with a `referral` first message. Its
// workflow does not let the AI write to someone who never wrote to us: it hands the lead to a
// broker to call (domain/lead-intent.detector.ts, `referred`).

export function createReferralActivities(deps: { orm: MikroORM; redis: Redis; temporal: Client; env: Env; logger: Logger }) {
  const intake = createLeadIntake({ orm: deps.orm, temporal: deps.temporal, redis: deps.redis, env: deps.env, logger: deps.logger });
  return {
    async intakeReferral(input: { referrerLeadId: string; card: SharedCard; index: number }): Promise<{ status: 'opened' | 'self' | 'unreachable'; leadId: string | null }> {
      const referrer = await new LeadRepository(deps.orm.em.fork()).findLead(input.referrerLeadId);
      const market = (referrer?.market ?? deps.env.DEFAULT_MARKET) as Market;
      const waId = input.card.waIds[0] ?? null;
      const raw = input.card.phones[0] ?? (waId ? `+${waId}` : null);
      const parsed = raw ? parsePhoneNumberFromString(raw, market as CountryCode) : undefined;
      const phone = parsed?.isPossible() ? parsed.number : null;
      const email = input.card.emails[0]?.toLowerCase() ?? null;
      if (!waId && !phone && !email) return { status: 'unreachable', leadId: null };
      const identity = { phone, waId, email, name: input.card.name, market: marketForPhone(phone, market) };
      const contact = await new LeadRepository(deps.orm.em.fork()).resolveContact(identity);
      // Their own card: details, not a referral.
      if (referrer && contact.id === referrer.contact.id) return { status: 'self', leadId: null };
      const channel = waId || phone ? 'whatsapp' : 'web';
      const result = await intake.ingest({
        identity,
        channel,
        message: {
          providerId: `referral:${input.referrerLeadId}:${input.index}`,
          channel,
          kind: 'referral',
          text: `[referred by another lead: ${input.card.name ?? 'unnamed'}]`,
          receivedAt: new Date().toISOString(),
        },
        source: { channel, referral: true, referred_by_lead_id: input.referrerLeadId },
      });
      return { status: 'opened', leadId: result.leadId };
    },
  };
}

export type ReferralActivities = ReturnType<typeof createReferralActivities>;
