import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { InboundEventEntity, type InboundEvent } from './entities';

// The inbound event log: every raw body a channel delivers is written here before it is
// acknowledged, so nothing received is ever lost, even when parsing or processing fails.
export class InboundEventRepository {
  constructor(private readonly em: EntityManager) {}

  async record(args: { source: string; rawBody: string; contentType: string | null; signatureValid: boolean | null }): Promise<InboundEvent> {
    const event = this.em.create(InboundEventEntity, { id: randomUUID(), status: 'received', providerIds: [], ...args });
    await this.em.flush();
    return event;
  }

  async finish(event: InboundEvent, status: 'processed' | 'skipped' | 'failed', details: { error?: string; providerIds?: string[] } = {}) {
    event.status = status;
    event.error = details.error ?? null;
    if (details.providerIds) event.providerIds = details.providerIds;
    event.processedAt = new Date();
    await this.em.flush();
  }

  async find(id: string) {
    return this.em.findOne(InboundEventEntity, { id });
  }
}
