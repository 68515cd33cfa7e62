import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SamePersonCandidate, SamePersonView } from '../domain/contact-merge.schema';
import { CLOSED_STAGES } from '../domain/lead-stage.rules';

// Merging a web chat contact into the contact that owns the number or address it typed (#12).
// The merge takes the path a proven number takes (webchat-verify.routes.ts): the chat's sessions
// move to the target contact with no lead, so the next turn joins the target's open lead. The
// merged contact's leads and messages stay where they are, because their lead workflows are
// running and hold the contact they were started with; they are linked instead: the contact
// points at the target (`same_person_as_id`) and both open leads get a note naming the other.

interface ContactRow {
  id: string;
  phone: string | null;
  email: string | null;
  wa_id: string | null;
  bsuid: string | null;
  claimed_phone: string | null;
  claimed_email: string | null;
  same_person_as_id: string | null;
  erased_at: Date | null;
}

/** Only a contact whose details were never proven (a web chat visitor) may be merged into another. */
const unproven = (c: ContactRow) => !c.phone && !c.email && !c.wa_id && !c.bsuid;

export type MergeOutcome =
  | { ok: true; movedSessions: number; linkedLeadIds: string[]; changed: boolean }
  | { ok: false; reason: 'unknown'; which: 'contactId' | 'intoContactId' }
  | { ok: false; reason: 'erased' | 'not_mergeable' | 'already_merged' | 'into_merged' };

export class ContactMergeRepository {
  constructor(private readonly em: EntityManager) {}

  private contact(id: string): Promise<ContactRow | undefined> {
    return this.em
      .getConnection()
      .execute<ContactRow[]>('select id, phone, email, wa_id, bsuid, claimed_phone, claimed_email, same_person_as_id, erased_at from contacts where id = ?', [id])
      .then((rows) => rows[0]);
  }

  /** The owners of the two contacts' live leads (who, besides managers, may merge them). */
  async leadOwners(contactIds: string[]): Promise<string[]> {
    const rows = await this.em
      .getConnection()
      .execute<{ owner_id: string | null }[]>(`select distinct owner_id from leads where contact_id in (${contactIds.map(() => '?').join(', ')}) and deleted_at is null`, contactIds);
    return rows.flatMap((r) => (r.owner_id ? [r.owner_id] : []));
  }

  /** A broker may look at a contact when one of its live leads is in the pool or theirs (as with leads). */
  async visibleToBroker(contactId: string, brokerId: string): Promise<boolean> {
    const rows = await this.em
      .getConnection()
      .execute<{ n: string }[]>('select count(*)::text as n from leads where contact_id = ? and deleted_at is null and (owner_id is null or owner_id = ?)', [contactId, brokerId]);
    return rows[0]?.n !== '0';
  }

  /** Null when the contact does not exist (or was erased). */
  async samePerson(contactId: string): Promise<SamePersonView | null> {
    const c = await this.contact(contactId);
    if (!c || c.erased_at) return null;
    const conn = this.em.getConnection();
    const found: Array<{ id: string; direction: SamePersonCandidate['direction']; matched_on: SamePersonCandidate['matchedOn'] }> = [];
    if (unproven(c) && !c.same_person_as_id && (c.claimed_phone || c.claimed_email)) {
      // This chat typed a number or address that another contact owns.
      found.push(
        ...(await conn.execute<typeof found>(
          `select id, 'into-other' as direction, case when ?::text is not null and (phone = ? or wa_id = ltrim(?, '+')) then 'phone' else 'email' end as matched_on
             from contacts where id <> ? and erased_at is null
              and ((?::text is not null and (phone = ? or wa_id = ltrim(?, '+'))) or (?::text is not null and email = ?))
            order by created_at limit 5`,
          [c.claimed_phone, c.claimed_phone, c.claimed_phone, c.id, c.claimed_phone, c.claimed_phone, c.claimed_phone, c.claimed_email, c.claimed_email],
        )),
      );
    } else if (!unproven(c)) {
      // Chats that typed this contact's number or address and were not merged yet.
      const phones = [c.phone, c.wa_id ? `+${c.wa_id}` : null].filter((p): p is string => p !== null);
      found.push(
        ...(await conn.execute<typeof found>(
          `select id, 'into-this' as direction, case when claimed_phone = any(?::text[]) then 'phone' else 'email' end as matched_on
             from contacts where id <> ? and erased_at is null and same_person_as_id is null
              and phone is null and email is null and wa_id is null and bsuid is null
              and (claimed_phone = any(?::text[]) or (?::text is not null and claimed_email = ?))
            order by created_at desc limit 5`,
          [`{${phones.join(',')}}`, c.id, `{${phones.join(',')}}`, c.email, c.email],
        )),
      );
    }
    const leads = found.length
      ? await conn.execute<{ id: string; contact_id: string; channel: string; status: string; created_at: Date }[]>(
          `select id, contact_id, channel, status, created_at from leads where contact_id in (${found.map(() => '?').join(', ')}) and deleted_at is null order by created_at desc`,
          found.map((f) => f.id),
        )
      : [];
    return {
      contactId: c.id,
      mergedInto: c.same_person_as_id && unproven(c) ? c.same_person_as_id : null,
      candidates: found.map((f) => ({
        contactId: f.id,
        direction: f.direction,
        matchedOn: f.matched_on,
        leads: leads.filter((l) => l.contact_id === f.id).map((l) => ({ id: l.id, channel: l.channel, stage: l.status, createdAt: new Date(l.created_at).toISOString() })),
      })),
    };
  }

  /** Merges `sourceId` (a web chat contact) into `intoId`. Asking again for the same merge changes nothing. */
  async merge(sourceId: string, intoId: string): Promise<MergeOutcome> {
    return this.em.transactional(async (tx) => {
      const conn = tx.getConnection();
      const trx = tx.getTransactionContext();
      const q = <T extends object>(sql: string, params: unknown[] = []) => conn.execute<T[]>(sql, params, 'all', trx);
      // The lock new leads are opened under (and erasure takes): no lead opens on either side meanwhile.
      for (const id of [sourceId, intoId].sort()) await q('select pg_advisory_xact_lock(hashtext(?))', [`lead-open:${id}`]);
      const rows = await q<ContactRow>(
        'select id, phone, email, wa_id, bsuid, claimed_phone, claimed_email, same_person_as_id, erased_at from contacts where id in (?, ?) for update',
        [sourceId, intoId],
      );
      const source = rows.find((r) => r.id === sourceId);
      const into = rows.find((r) => r.id === intoId);
      if (!source) return { ok: false, reason: 'unknown', which: 'contactId' };
      if (!into) return { ok: false, reason: 'unknown', which: 'intoContactId' };
      if (source.erased_at || into.erased_at) return { ok: false, reason: 'erased' };
      if (!unproven(source)) return { ok: false, reason: 'not_mergeable' };
      if (source.same_person_as_id && source.same_person_as_id !== intoId) return { ok: false, reason: 'already_merged' };
      // No chains: the target must itself be where merges end.
      if (into.same_person_as_id && unproven(into)) return { ok: false, reason: 'into_merged' };
      const changed = source.same_person_as_id === null;

      const moved = await q<{ id: string }>(`update sessions set contact_id = ?, lead_id = null where contact_id = ? returning id`, [intoId, sourceId]);
      await q('update contacts set same_person_as_id = ?, updated_at = now() where id = ?', [intoId, sourceId]);
      const leads = await q<{ id: string }>('select id from leads where contact_id = ? and deleted_at is null order by created_at', [sourceId]);
      if (changed) {
        const open = async (contactId: string) =>
          (
            await q<{ id: string }>(
              `select id from leads where contact_id = ? and deleted_at is null and status not in (${CLOSED_STAGES.map(() => '?').join(', ')}) order by created_at desc limit 1`,
              [contactId, ...CLOSED_STAGES],
            )
          )[0]?.id ?? null;
        const [sourceLead, intoLead] = [await open(sourceId), await open(intoId)];
        const note = (leadId: string, otherLead: string | null, otherContact: string, side: string, body: string) =>
          q(
            `insert into timeline_entries (id, lead_id, type, actor, direction, body, idempotency_key, meta, created_at)
             values (?, ?, 'note', 'system', null, ?, ?, ?, now()) on conflict (idempotency_key) do nothing`,
            [randomUUID(), leadId, body, `merge:${sourceId}:${intoId}:${side}`, JSON.stringify({ kind: 'identity_link', linkedLeadId: otherLead, linkedContactId: otherContact })],
          );
        if (sourceLead) await note(sourceLead, intoLead, intoId, 'source', `Merged by a broker: same person as ${intoLead ? `lead ${intoLead}` : 'another contact'}; the chat continues there`);
        if (intoLead) await note(intoLead, sourceLead, sourceId, 'into', `Merged by a broker: the web chat ${sourceLead ? `lead ${sourceLead}` : 'contact'} is the same person`);
      }
      return { ok: true, movedSessions: moved.length, linkedLeadIds: leads.map((l) => l.id), changed };
    });
  }
}
