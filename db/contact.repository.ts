import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClaimedContact } from '../domain/contact-details.extractor';
import { CLOSED_STAGES } from '../domain/lead-stage.rules';

// What we learn about a person beyond the keys we match on: details they typed in a chat
// (unverified: kept apart from phone/email, never used to match or merge), the language they
// write in, and the link between two contacts that turned out to be one person.

export class ContactRepository {
  constructor(private readonly em: EntityManager) {}

  /** Details typed in a chat, on the lead's contact; a name also fills an empty display name. */
  async saveClaimed(leadId: string, claimed: ClaimedContact): Promise<boolean> {
    if (!claimed.name && !claimed.phone && !claimed.email) return false;
    const rows = await this.em.getConnection().execute<{ id: string }[]>(
      `update contacts c set claimed_name = coalesce(?, c.claimed_name), claimed_phone = coalesce(?, c.claimed_phone),
              claimed_email = coalesce(?, c.claimed_email), claimed_at = now(), name = coalesce(c.name, ?), updated_at = now()
         from leads l where l.id = ? and l.contact_id = c.id returning c.id`,
      [claimed.name, claimed.phone, claimed.email, claimed.name, leadId],
    );
    return rows.length > 0;
  }

  /**
   * The language the person writes in, on the lead's contact. Only a change is written, so the
   * timestamp says when they last switched; an erased contact keeps nothing.
   */
  async saveLanguage(leadId: string, language: string): Promise<boolean> {
    const rows = await this.em.getConnection().execute<{ id: string }[]>(
      `update contacts c set language = ?, language_at = now(), updated_at = now()
         from leads l where l.id = ? and l.contact_id = c.id and c.erased_at is null and c.language is distinct from ? returning c.id`,
      [language, leadId, language],
    );
    return rows.length > 0;
  }

  /**
   * Two contacts are one person (a number change that arrived after the new number wrote):
   * the newer points at the older, and each open lead says so on its timeline with the other
   * lead's id, once per change message.
   */
  async linkSamePerson(link: { older: string; newer: string; providerId: string; at: string }): Promise<void> {
    const conn = this.em.getConnection();
    await conn.execute(`update contacts set same_person_as_id = ?, updated_at = now() where id = ? and same_person_as_id is null`, [link.older, link.newer]);
    const open = async (contactId: string) =>
      (
        await conn.execute<{ id: string }[]>(
          `select id from leads where contact_id = ? and deleted_at is null and status not in (${CLOSED_STAGES.map(() => '?').join(', ')}) order by created_at desc limit 1`,
          [contactId, ...CLOSED_STAGES],
        )
      )[0]?.id ?? null;
    const [olderLead, newerLead] = [await open(link.older), await open(link.newer)];
    const note = async (leadId: string, otherLead: string | null, side: string) =>
      conn.execute(
        `insert into timeline_entries (id, lead_id, type, actor, direction, body, idempotency_key, meta, created_at)
         values (?, ?, 'note', 'system', null, ?, ?, ?, ?) on conflict (idempotency_key) do nothing`,
        [
          randomUUID(),
          leadId,
          otherLead
            ? `Same person as lead ${otherLead}: they changed their WhatsApp number (the new number wrote first)`
            : 'Same person as an earlier contact: they changed their WhatsApp number (the new number wrote first)',
          `${link.providerId}:same-person:${side}`,
          JSON.stringify({ kind: 'identity_link', linkedLeadId: otherLead, linkedContactId: side === 'older' ? link.newer : link.older }),
          new Date(link.at),
        ],
      );
    if (olderLead) await note(olderLead, newerLead, 'older');
    if (newerLead) await note(newerLead, olderLead, 'newer');
  }
}
