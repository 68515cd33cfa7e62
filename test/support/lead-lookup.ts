import type { Orm } from '../../db/orm';
import { eventually } from './harness';

/**
 * The lead a WhatsApp sender started, once the agent has answered it (an outbound message is in
 * its timeline): what a test waits for before it opens or acts on the lead. `pastNew` also waits
 * for the first turn's stage change.
 */
export async function answeredLead(orm: Orm, waId: string, opts: { pastNew?: boolean; timeoutMs?: number } = {}): Promise<{ leadId: string; contactId: string }> {
  return eventually(async () => {
    const rows = await orm.em.fork().getConnection().execute<Array<{ lead_id: string; contact_id: string }>>(
      `select l.id as lead_id, c.id as contact_id from leads l join contacts c on c.id = l.contact_id join timeline_entries a on a.lead_id = l.id
        where c.wa_id = ? and a.direction = 'out'${opts.pastNew ? ` and l.status <> 'new'` : ''}`,
      [waId],
    );
    return rows[0] && { leadId: rows[0].lead_id, contactId: rows[0].contact_id };
  }, 'the lead to be answered', opts.timeoutMs);
}

/** The agent's replies to a WhatsApp sender (sent or failed, not still queued), oldest first, once there are `count`. */
export async function agentReplies(orm: Orm, waId: string, count: number): Promise<Array<{ lead_id: string; body: string }>> {
  return eventually(async () => {
    const rows = await orm.em.fork().getConnection().execute<Array<{ lead_id: string; body: string }>>(
      `select a.lead_id, a.body from timeline_entries a join leads l on l.id = a.lead_id join contacts c on c.id = l.contact_id
        where c.wa_id = ? and a.direction = 'out' and a.delivery_status <> 'queued' order by a.created_at`,
      [waId],
    );
    return rows.length >= count ? rows : undefined;
  }, `${count} reply(ies) to ${waId}`, 60_000);
}

/** The id of the lead a WhatsApp sender's message opened, once its row exists. */
export async function leadIdOf(orm: Orm, waId: string): Promise<string> {
  return eventually(async () => {
    const rows = await orm.em.fork().getConnection().execute<Array<{ id: string }>>('select l.id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?', [waId]);
    return rows[0]?.id;
  }, 'the lead row');
}
