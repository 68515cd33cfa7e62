import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { LeadRepository } from '../../db/lead.repository';
import { isDeliveryStatus, shouldApplyWhatsAppStatus, type MappedWaMessage, type WhatsAppInboundBatch } from '../../domain/whatsapp-inbound.mapper';
import type { Env } from '../../lib/env';
import type { LeadIntake } from './lead-intake.service';
import { marketForPhone } from './market';

// What one WhatsApp webhook body does once it is stored and verified: identity changes,
// delivery statuses, then the messages through the intake. Used by the webhook route for
// ordinary bodies and by the batch intake activity for large ones. Safe to run twice on one
// body (statuses only move forward, identity changes are idempotent, messages are deduped).

/** Senders processed side by side: different leads in parallel, one lead's messages in order. */
const SENDER_CONCURRENCY = 8;

export async function processWhatsAppBatch(
  deps: { orm: MikroORM; intake: LeadIntake; env: Env; logger: Logger },
  batch: Pick<WhatsAppInboundBatch, 'messages' | 'statuses' | 'identityChanges'>,
): Promise<{ providerIds: string[] }> {
  const providerIds: string[] = [];
  const repo = new LeadRepository(deps.orm.em.fork());
  // Identity first: a message later in the same body may come from the new number.
  for (const change of batch.identityChanges) {
    const result = await repo.applyIdentityChange(change);
    deps.logger.info({ kind: change.kind, contactId: result.contactId, updated: result.updated }, 'whatsapp identity change');
    providerIds.push(change.providerId);
  }
  const statusCounts = { applied: 0, stale: 0, unknown: 0 };
  for (const status of batch.statuses) {
    const outcome = await repo.applyDeliveryStatus(status, (current) =>
      shouldApplyWhatsAppStatus(current !== null && isDeliveryStatus(current) ? current : undefined, status.status),
    );
    statusCounts[outcome] += 1;
  }
  if (batch.statuses.length > 0) deps.logger.info(statusCounts, 'whatsapp statuses');

  const bySender = new Map<string, MappedWaMessage[]>();
  for (const item of batch.messages) {
    const key = item.identity.waId ?? item.identity.bsuid ?? '';
    const list = bySender.get(key) ?? [];
    list.push(item);
    bySender.set(key, list);
  }
  await forEachLimit([...bySender.values()], SENDER_CONCURRENCY, async (items) => {
    const first = items[0]!.identity;
    const market = marketForPhone(first.phoneE164, deps.env.DEFAULT_MARKET);
    const prepared = await deps.intake.prepare(
      { identity: { phone: first.phoneE164 ?? null, waId: first.waId ?? null, bsuid: first.bsuid ?? null, name: first.profileName ?? null, market } },
      'whatsapp',
    );
    for (const item of items) {
      await deps.intake.deliver(prepared, {
        channel: 'whatsapp',
        message: item.message,
        source: item.message.attribution ? { channel: 'whatsapp', ...item.message.attribution } : { channel: 'whatsapp' },
        waPhoneNumberId: item.phoneNumberId,
      });
    }
  });
  for (const item of batch.messages) providerIds.push(item.message.providerId);
  return { providerIds };
}

async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  });
  await Promise.all(lanes);
}
