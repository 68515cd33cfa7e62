import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

// What the daily SLA digest reads and writes (ADR 016): the misses the handoff step recorded on
// the timeline, who wants the digest, and one row per user and day so a retry never mails twice.
// Addresses and first names stay on this path: nothing here is logged.

export interface SlaMiss {
  leadId: string;
  /** missed_claim: the offered broker did not claim in time; pool: nobody did, the lead went to the shared pool. */
  kind: 'missed_claim' | 'pool';
  /** The broker who missed the claim (null for the pool). */
  brokerId: string | null;
  brokerName: string | null;
  at: Date;
  firstName: string | null;
  score: number | null;
}

export interface DigestRecipient {
  userId: string;
  email: string;
}

export class SlaDigestRepository {
  constructor(private readonly em: EntityManager) {}

  private sql<T>(query: string, params: unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(query, params);
  }

  /**
   * Misses recorded in [from, to): a missed claim is the handoff entry the SLA timer writes
   * (meta.escalation), the pool is the `handoff_unclaimed` alert. Erased leads are left out.
   */
  async misses(from: Date, to: Date): Promise<SlaMiss[]> {
    const rows = await this.sql<{ lead_id: string; kind: SlaMiss['kind']; broker_id: string | null; broker_name: string | null; created_at: Date; name: string | null; score: number | null }>(
      `select t.lead_id, case when t.type = 'alert' then 'pool' else 'missed_claim' end as kind,
              case when t.type = 'alert' then null else t.meta->>'brokerId' end as broker_id, b.name as broker_name,
              t.created_at, c.name, l.score
       from timeline_entries t
       join leads l on l.id = t.lead_id and l.deleted_at is null
       left join contacts c on c.id = l.contact_id
       left join brokers b on t.type = 'handoff' and b.id = t.meta->>'brokerId'
       where t.created_at >= ? and t.created_at < ?
         and ((t.type = 'handoff' and t.meta->'escalation' is not null) or (t.type = 'alert' and t.meta->>'kind' = 'handoff_unclaimed'))
       order by t.created_at, t.id`,
      [from, to],
    );
    return rows.map((r) => ({
      leadId: r.lead_id,
      kind: r.kind,
      brokerId: r.broker_id,
      brokerName: r.broker_name,
      at: new Date(r.created_at),
      firstName: r.name?.trim().split(/\s+/)[0] || null,
      score: r.score,
    }));
  }

  /** Active managers and admins who left the digest on. */
  async recipients(): Promise<DigestRecipient[]> {
    const rows = await this.sql<{ id: string; email: string }>(`select id, email from users where role in ('manager', 'admin') and active and email_digest order by email`, []);
    return rows.map((r) => ({ userId: r.id, email: r.email }));
  }

  /** Claims the user's digest for the day; false when a row exists (sent, or a send that died midway). */
  async claim(userId: string, day: string): Promise<boolean> {
    const rows = await this.sql<{ id: string }>(
      `insert into digest_sends (id, user_id, day, claimed_at) values (?, ?, ?, now()) on conflict (user_id, day) do nothing returning id`,
      [randomUUID(), userId, day],
    );
    return rows.length > 0;
  }

  async markSent(userId: string, day: string): Promise<void> {
    await this.sql(`update digest_sends set sent_at = now() where user_id = ? and day = ?`, [userId, day]);
  }

  /** The relay refused the mail: the claim goes, so the activity's next attempt sends it. */
  async release(userId: string, day: string): Promise<void> {
    await this.sql(`delete from digest_sends where user_id = ? and day = ? and sent_at is null`, [userId, day]);
  }
}
