import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLogEntity } from './identity.entities';

export interface AuditEntry {
  actorId: string;
  actorRole: string;
  action: string;
  leadId?: string | null;
  /** Ids, stages, scores only: no message text or contact details. */
  details?: Record<string, unknown>;
}

export interface AuditView {
  id: string;
  action: string;
  actorId: string;
  actorRole: string;
  actorName: string;
  details: Record<string, unknown>;
  at: string;
}

export class AuditLogRepository {
  constructor(private readonly em: EntityManager) {}

  async record(e: AuditEntry): Promise<void> {
    await this.em.insert(AuditLogEntity, { id: randomUUID(), actorId: e.actorId, actorRole: e.actorRole, action: e.action, leadId: e.leadId ?? null, details: e.details ?? {}, at: new Date() });
  }

  /** A lead's entries, oldest first, with the actor's current name (machine clients have none). */
  async forLead(leadId: string): Promise<AuditView[]> {
    const rows = await this.em.getConnection().execute<Array<{ id: string; action: string; actor_id: string; actor_role: string; name: string | null; details: Record<string, unknown>; at: Date | string }>>(
      `select a.id, a.action, a.actor_id, a.actor_role, u.name, a.details, a.at
         from audit_log a left join users u on u.id::text = a.actor_id
        where a.lead_id = ? order by a.at asc, a.id asc limit 500`,
      [leadId],
    );
    return rows.map((r) => ({
      id: r.id,
      action: r.action,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      actorName: r.name ?? (r.actor_role === 'system' ? 'API client' : r.actor_id),
      details: r.details,
      at: new Date(r.at).toISOString(),
    }));
  }
}
