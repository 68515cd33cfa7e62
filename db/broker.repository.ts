import type { EntityManager } from '@mikro-orm/postgresql';
import { pickNextBroker, type RoutingClock } from '../domain/broker-routing';
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
  async routeNext(exclude: readonly string[], clock?: RoutingClock): Promise<string | null> {
    return this.em.transactional(async (tx) => {
      const conn = tx.getConnection();
      const trx = tx.getTransactionContext();
      const rows = await conn.execute<{ id: string; active: boolean; paused: boolean; last_routed_at: Date | string | null; working_hours: string | null; time_zone: string | null }[]>(
        // Working hours and time zone are set on the broker's user account (by an admin).
        `select b.id, b.active, b.paused, b.last_routed_at, u.working_hours, u.time_zone
           from brokers b left join users u on u.broker_id = b.id and u.active
          where b.active and not b.paused order by b.id for update of b`,
        [],
        'all',
        trx,
      );
      const id = pickNextBroker(
        rows.map((r) => ({
          id: r.id,
          active: r.active,
          paused: r.paused,
          lastRoutedAt: r.last_routed_at ? new Date(r.last_routed_at).toISOString() : null,
          workingHours: r.working_hours,
          timeZone: r.time_zone,
        })),
        exclude,
        clock,
      );
      if (id) await conn.execute(`update brokers set last_routed_at = clock_timestamp(), updated_at = now() where id = ?`, [id], 'all', trx);
      return id;
    });
  }
}
