import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { LeadRepository } from '../db/lead.repository';
import { shouldAdvanceDeliveryStatus } from '../domain/delivery-status.rules';
import type { InboundBatch, InboundItem } from '../domain/inbound-batch.types';
import type { Channel } from '../domain/profile.schema';
import type { Env } from '../lib/env';
import { dataErrorSummary, isDataError } from '../lib/data-error';
import { openingOf, type IntakeArgs, type LeadIntake } from './lead.intake';
import { normalizeInboundBatch } from './inbound.normalizer';
import { raiseLeadAlert } from './lead-alert.raiser';
import { marketForPhone } from './market.resolver';
import type { Redis } from 'ioredis';

// What one parsed webhook body does, whatever the channel: identity changes, delivery
// statuses, then the messages through the intake. Used by the webhook routes for ordinary
// bodies and by the stored-event intake activity for large ones and swept events. Safe to run
// twice on one body (statuses only move forward, identity changes are idempotent, messages are
// deduped).
// One bad item never costs the others: an item whose data Postgres refuses is reported and
// skipped (the raw body stays in inbound_events); only errors that may go away (a database or
// Temporal outage) fail the whole body, so the provider redelivers it.

/** Senders processed side by side: different leads in parallel, one lead's messages in order. */
const SENDER_CONCURRENCY = 8;

export interface BatchOptions {
  /** The channel's provider confirms STOP itself and blocks later sends (channel rules). */
  providerHandlesOptOut?: boolean;
}

export async function processInboundBatch(
  deps: { orm: MikroORM; intake: LeadIntake; env: Env; logger: Logger; redis: Redis },
  channel: Channel,
  batch: Pick<InboundBatch, 'messages' | 'statuses' | 'identityChanges'>,
  options: BatchOptions = {},
): Promise<{ providerIds: string[]; failed: FailedItem[] }> {
  batch = normalizeInboundBatch({ ...batch, errors: [], skipped: [] });
  const providerIds: string[] = [];
  const failed: FailedItem[] = [];
  const skipOnDataError = async (ids: string[], run: () => Promise<void>) => {
    try {
      await run();
    } catch (err) {
      if (!isDataError(err)) throw err;
      const reason = dataErrorSummary(err);
      for (const providerId of ids) failed.push({ providerId, reason });
      deps.logger.error({ alert: 'inbound_item_failed', channel, providerIds: ids, reason }, 'an inbound item was skipped: its data was refused');
    }
  };
  const repo = () => new LeadRepository(deps.orm.em.fork());
  // Identity first: a message later in the same body may come from the new number.
  for (const change of batch.identityChanges) {
    await skipOnDataError([change.providerId], async () => {
      const result = await repo().applyIdentityChange(change);
      deps.logger.info({ kind: change.kind, contactId: result.contactId, updated: result.updated, channel }, 'identity change');
    });
    providerIds.push(change.providerId);
  }
  const statusCounts = { applied: 0, stale: 0, unknown: 0 };
  for (const status of batch.statuses) {
    await skipOnDataError([status.providerId], async () => {
      const { outcome, leadId, idempotencyKey } = await repo().applyDeliveryStatus(
        { wamid: status.providerId, status: status.status, timestamp: status.timestamp, ...(status.callbackData !== undefined && { callbackData: status.callbackData }), ...(status.errors && { errors: status.errors }), ...(status.pricingCategory !== undefined && { pricingCategory: status.pricingCategory }) },
        (current) => shouldAdvanceDeliveryStatus(current, status.status),
      );
      statusCounts[outcome] += 1;
      // A message that never reached the person: someone must see it (131049, 131026, blocked…).
      if (outcome === 'applied' && leadId && (status.status === 'failed' || status.status === 'undelivered')) {
        const codes = (status.errors ?? []).map((e) => (e as { code?: unknown }).code).filter((c) => c !== undefined);
        await raiseLeadAlert(deps, {
          leadId,
          kind: 'delivery_failed',
          body: `A message to the lead was not delivered on ${channel}${codes.length > 0 ? ` (error ${codes.join(', ')})` : ''}`,
          idempotencyKey: `delivery-failed:${status.providerId}`,
          meta: { channel, providerId: status.providerId, errors: status.errors ?? [], ...(idempotencyKey && { replyKey: idempotencyKey }) },
        });
        // a hot lead that can no longer be messaged is handed to a broker to call
        await deps.intake.notifyDeliveryFailed(leadId);
      }
    });
  }
  if (batch.statuses.length > 0) deps.logger.info({ ...statusCounts, channel }, 'delivery statuses');

  const bySender = new Map<string, InboundItem[]>();
  for (const item of batch.messages) {
    const id = item.identity;
    const key = id.waId ?? id.bsuid ?? id.phone ?? id.email ?? '';
    const list = bySender.get(key) ?? [];
    list.push(item);
    bySender.set(key, list);
  }
  await forEachLimit([...bySender.values()], SENDER_CONCURRENCY, async (items) => {
    const first = items[0]!.identity;
    const market = marketForPhone(first.phone, deps.env.DEFAULT_MARKET);
    const argsOf = (item: InboundItem): IntakeArgs => ({
      channel,
      message: item.message,
      source: item.message.attribution ? { channel, ...item.message.attribution } : { channel },
      ...(channel === 'whatsapp' && item.businessAddress && { waPhoneNumberId: item.businessAddress }),
      ...(options.providerHandlesOptOut && { providerHandlesOptOut: true }),
    });
    let prepared: Awaited<ReturnType<LeadIntake['prepare']>> | undefined;
    await skipOnDataError(items.map((i) => i.message.providerId), async () => {
      prepared = await deps.intake.prepare(
        { identity: { phone: first.phone ?? null, waId: first.waId ?? null, bsuid: first.bsuid ?? null, email: first.email ?? null, name: first.name ?? null, market } },
        channel,
        openingOf(argsOf(items[0]!)),
      );
    });
    if (!prepared) return;
    for (const item of items) {
      await skipOnDataError([item.message.providerId], async () => {
        await deps.intake.deliver(prepared!, argsOf(item));
      });
    }
  });
  for (const item of batch.messages) providerIds.push(item.message.providerId);
  return { providerIds, failed };
}

/** An item skipped because its data was refused, and why (no personal data). */
export interface FailedItem {
  providerId: string;
  reason: string;
}

/** What the inbound event keeps about skipped items. */
function failedItemsNote(failed: FailedItem[]): string {
  return `${failed.length} item(s) skipped: ${failed.slice(0, 20).map((f) => `${f.providerId} (${f.reason})`).join(', ')}`;
}

/** What an inbound event's row records once its intake ran: the provider ids it took (and any answered elsewhere), and a note of the items skipped. */
export function intakeRecord(outcome: { providerIds: string[]; failed: FailedItem[] }, answeredIds: string[] = []): { providerIds: string[]; error?: string } {
  return { providerIds: [...outcome.providerIds, ...answeredIds], ...(outcome.failed.length > 0 && { error: failedItemsNote(outcome.failed) }) };
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
