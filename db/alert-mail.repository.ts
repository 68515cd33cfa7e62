import type { EntityManager } from '@mikro-orm/postgresql';

// The alert e-mails' outbox (db/alert-mail.entity.ts): queued with their timeline entry
// (LeadRepository.recordLeadEvent), claimed by one sender at a time, settled once.

export type AlertMailKind = 'offer' | 'escalation' | 'pool';

export interface QueuedAlertMail {
  id: string;
  leadId: string;
  kind: AlertMailKind;
  brokerId: string | null;
  meta: Record<string, unknown>;
  /** This attempt's number, from 1. */
  attempts: number;
}

export class AlertMailRepository {
  constructor(private readonly em: EntityManager) {}

  private sql<T>(query: string, params: unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(query, params);
  }

  /**
   * Takes up to `limit` due mails, oldest first, and counts the attempt. A taken mail is not due
   * again for `leaseMs`: another sender (another worker) skips it meanwhile, and a sender that
   * dies holding it gives it back when the lease runs out.
   */
  async claimDue(limit: number, leaseMs: number): Promise<QueuedAlertMail[]> {
    const rows = await this.sql<{ id: string; lead_id: string; kind: AlertMailKind; broker_id: string | null; meta: Record<string, unknown>; attempts: number }>(
      `update alert_mails set attempts = attempts + 1, next_attempt_at = now() + (? * interval '1 millisecond')
       where id in (select id from alert_mails where status = 'queued' and next_attempt_at <= now() order by next_attempt_at limit ? for update skip locked)
       returning id, lead_id, kind, broker_id, meta, attempts`,
      [leaseMs, limit],
    );
    return rows.map((r) => ({ id: r.id, leadId: r.lead_id, kind: r.kind, brokerId: r.broker_id, meta: r.meta ?? {}, attempts: r.attempts }));
  }

  /** Sent, or nobody to send it to: done either way. */
  async settle(id: string, status: 'sent' | 'skipped' | 'failed', lastError: string | null = null): Promise<void> {
    await this.sql(`update alert_mails set status = ?, last_error = coalesce(?, last_error), settled_at = now() where id = ? and status = 'queued'`, [status, lastError, id]);
  }

  /** Not sent this time: due again after `delayMs`. */
  async retryLater(id: string, delayMs: number, lastError: string): Promise<void> {
    await this.sql(`update alert_mails set next_attempt_at = now() + (? * interval '1 millisecond'), last_error = ? where id = ? and status = 'queued'`, [delayMs, lastError, id]);
  }

  async byLead(leadId: string): Promise<Array<{ kind: string; status: string; attempts: number; last_error: string | null }>> {
    return this.sql(`select kind, status, attempts, last_error from alert_mails where lead_id = ? order by created_at, id`, [leadId]);
  }
}
