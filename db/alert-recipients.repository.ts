import type { EntityManager } from '@mikro-orm/postgresql';

// Who an alert e-mail goes to, read by the worker's alert mail step. Only addresses of active
// users who left the matching preference on; the addresses never leave this path (no logs).

export interface LeadGist {
  /** The first word of the contact's name, or null when we do not know it. */
  firstName: string | null;
  score: number | null;
}

export class AlertRecipientsRepository {
  constructor(private readonly em: EntityManager) {}

  private sql<T>(query: string, params: unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(query, params);
  }

  /** The address of the user who works as this broker, when they want offer e-mails. */
  async offerRecipient(brokerId: string): Promise<string | null> {
    const rows = await this.sql<{ email: string }>(`select email from users where broker_id = ? and active and email_offers`, [brokerId]);
    return rows[0]?.email ?? null;
  }

  /** Managers who want escalation and unclaimed-pool e-mails. */
  async escalationRecipients(): Promise<string[]> {
    const rows = await this.sql<{ email: string }>(`select email from users where role = 'manager' and active and email_escalations order by email`, []);
    return rows.map((r) => r.email);
  }

  /** Just enough of the lead for a subject line: never the conversation. */
  async leadGist(leadId: string): Promise<LeadGist | null> {
    const rows = await this.sql<{ name: string | null; score: number | null }>(
      `select c.name, l.score from leads l left join contacts c on c.id = l.contact_id where l.id = ? and l.deleted_at is null`,
      [leadId],
    );
    const row = rows[0];
    if (!row) return null;
    return { firstName: row.name?.trim().split(/\s+/)[0] || null, score: row.score };
  }
}
