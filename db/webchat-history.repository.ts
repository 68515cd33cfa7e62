import type { EntityManager } from '@mikro-orm/postgresql';

export interface WebChatRow {
  id: string;
  actor: string;
  direction: string | null;
  body: string | null;
  created_at: Date;
}

/** The messages a web chat session shows: its lead's, since the session began (newest `limit`, oldest first). */
export class WebChatHistoryRepository {
  constructor(private readonly em: EntityManager) {}

  async messages(session: { leadId: string; since: Date }, limit: number): Promise<WebChatRow[]> {
    // timeline_entries_lead_created_idx serves this (lead, then time).
    const rows = await this.em.getConnection().execute<WebChatRow[]>(
      `select id, actor, direction, body, created_at from timeline_entries
       where lead_id = ? and type = 'message' and created_at >= ? and body is not null
       order by created_at desc, id desc limit ?`,
      [session.leadId, session.since, limit],
    );
    return rows.reverse();
  }
}
