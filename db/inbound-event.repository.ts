import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { cleanText } from '../domain/safe-text';
import { InboundEventEntity, type InboundEvent } from './entities';

// Error notes may quote what failed to parse: bounded and cleaned so writing one cannot fail too.
const note = (error: string) => cleanText(error, 2000);

type FinishStatus = 'processed' | 'skipped' | 'failed';
type FinishDetails = { error?: string; providerIds?: string[] };

function finishedFields(status: FinishStatus, details: FinishDetails) {
  return {
    status,
    error: details.error === undefined ? null : note(details.error),
    // A blank id (a hostile or broken body) cannot go into the text[] column: MikroORM leaves a
    // whitespace-only element unquoted, Postgres reads it as a missing one and the whole update
    // failed (a 500, so Meta redelivered the body for ever). It identifies nothing: left out.
    ...(details.providerIds && { providerIds: details.providerIds.filter((id) => id.trim() !== '') }),
    processedAt: new Date(),
  };
}

// The inbound event log: every raw body a channel delivers is written here before it is
// acknowledged, so nothing received is ever lost, even when parsing or processing fails.
export class InboundEventRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * One insert, outside a transaction: this write is all a webhook's ack waits for (#13), and a
   * flush would wrap it in begin and commit, three round trips instead of one.
   */
  async record(args: { source: string; rawBody: string; contentType: string | null; signatureValid: boolean | null }): Promise<InboundEvent> {
    const event: InboundEvent = { id: randomUUID(), receivedAt: new Date(), status: 'received', providerIds: [], error: null, processedAt: null, ...args };
    await this.em.insert(InboundEventEntity, event);
    return event;
  }

  /** One update by id (the event is not managed: `record` inserts it directly); `event` is kept in step. */
  async finish(event: InboundEvent, status: FinishStatus, details: FinishDetails = {}) {
    const fields = finishedFields(status, details);
    await this.em.nativeUpdate(InboundEventEntity, { id: event.id }, fields);
    Object.assign(event, fields);
  }

  /**
   * Finishes an event taken in after its ack, only while it is still `received`: a Lead Ads event
   * whose intake workflow already found the lead unknown and marked it failed keeps that, and so
   * does an event another path (the sweep's workflow, a redelivery) finished first. False when
   * the event was no longer `received`.
   */
  async finishIfReceived(id: string, status: FinishStatus, details: FinishDetails = {}): Promise<boolean> {
    const updated = await this.em.nativeUpdate(InboundEventEntity, { id, status: 'received' }, finishedFields(status, details));
    return updated > 0;
  }

  /**
   * Records a failure found after the ack (a leadgen id the Graph API does not know): the
   * event becomes failed and the reason is appended, since one body can carry several leads.
   */
  async markFailed(id: string, reason: string): Promise<void> {
    await this.em.getConnection().execute(
      `update inbound_events set status = 'failed', error = case when error is null then ? else error || E'\n' || ? end, processed_at = now() where id = ?`,
      [note(reason), note(reason), id],
    );
  }

  /** Finishes an event processed after the ack (by a batch workflow). */
  async finishById(id: string, status: FinishStatus, details: FinishDetails = {}) {
    const event = await this.em.findOneOrFail(InboundEventEntity, { id });
    await this.finish(event, status, details);
  }

  async find(id: string) {
    return this.em.findOne(InboundEventEntity, { id });
  }
}
