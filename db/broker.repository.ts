import type { EntityManager } from '@mikro-orm/postgresql';
import { pickNextBroker } from '../domain/broker-routing';
import { BrokerEntity, type Broker } from './entities';

// Brokers a lead can be handed to. Routing is round robin (domain/broker-routing.ts) over the
// active, unpaused brokers, serialised by row locks so two leads routed at once get different
// brokers.
export class BrokerRepository {
  constructor(private readonly em: EntityManager) {}

  async find(id: string): Promise<Broker | null> {
    return this.em.findOne(BrokerEntity, { id });
  }

  async list(): Promise<Broker[]> {
    return this.em.find(BrokerEntity, {}, { orderBy: { id: 'asc' } });
  }

  /** The next broker in the rotation, skipping `exclude`, stamped as routed to now; null if nobody is available. */
  async routeNext(exclude: readonly string[]): Promise<string | null> {
    return this.em.transactional(async (tx) => {
      const conn = tx.getConnection();
      const trx = tx.getTransactionContext();
      const rows = await conn.execute<{ id: string; active: boolean; paused: boolean; last_routed_at: Date | string | null }[]>(
        `select id, active, paused, last_routed_at from brokers where active and not paused order by id for update`,
        [],
        'all',
        trx,
      );
      const id = pickNextBroker(
        rows.map((r) => ({ id: r.id, active: r.active, paused: r.paused, lastRoutedAt: r.last_routed_at ? new Date(r.last_routed_at).toISOString() : null })),
        exclude,
      );
      if (id) await conn.execute(`update brokers set last_routed_at = clock_timestamp(), updated_at = now() where id = ?`, [id], 'all', trx);
      return id;
    });
  }
}
