import type { EntityManager } from '@mikro-orm/postgresql';
import { SuppressionRepository } from './suppression.repository';
import { redactRawBody } from '../domain/raw-body.redactor';

// Erasure in the database (data rights, #12). Two steps around the end of the lead workflows:
// `detach` cuts the person loose at once (under the lock new leads are opened with, so a message
// arriving meanwhile starts a new contact and lead instead of joining the one being erased) and
// redacts the raw webhook bodies while their identifiers are still known; `scrub` removes what
// the workflows wrote, once they have ended. The leads stay as anonymous rows (stage, score,
// channel, market, times) for statistics.

export interface Detached {
  leadIds: string[];
  /** The contact itself was erased (no live lead of theirs is left). */
  contactErased: boolean;
  /** Lead Ads intake workflows whose histories hold the form answers (system key): deleted too. */
  leadgenIds: string[];
  /** Web chat sessions deleted (their Redis limits go too). */
  sessionIds: string[];
  redactedEvents: number;
  suppressed: boolean;
}

export const ERASED = '[erased]';

export interface AnonymousLead {
  id: string;
  channel: string;
  stage: string;
  market: string;
  score: number | null;
  qualified: boolean;
  createdAt: string;
  erasedAt: string | null;
}

type Row = Record<string, unknown>;

export class ErasureRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * `leadIds` null: every lead of the contact. The contact is erased with its last live lead;
   * an opted-out person leaves only the HMAC of their phone and e-mail (suppressions).
   */
  async detach(contactId: string, leadIds: string[] | null, suppression: (identity: { phone: string | null; waId: string | null; email: string | null }) => Array<{ hash: string; kind: string }>): Promise<Detached> {
    return this.em.transactional(async (tx) => {
      const conn = tx.getConnection();
      const trx = tx.getTransactionContext();
      const q = <T extends Row>(sql: string, params: unknown[] = []) => conn.execute<T[]>(sql, params, 'all', trx);
      await q('select pg_advisory_xact_lock(hashtext(?))', [`lead-open:${contactId}`]);
      const [contact] = await q<{ name: string | null; phone: string | null; email: string | null; wa_id: string | null; bsuid: string | null; opted_out_at: Date | null; erased_at: Date | null }>(
        'select name, phone, email, wa_id, bsuid, opted_out_at, erased_at from contacts where id = ? for update',
        [contactId],
      );
      const none: Detached = { leadIds: [], contactErased: false, leadgenIds: [], sessionIds: [], redactedEvents: 0, suppressed: false };
      if (!contact) return none;
      const all = await q<{ id: string; erased_at: Date | null }>('select id, erased_at from leads where contact_id = ?', [contactId]);
      const chosen = leadIds === null ? all.map((l) => l.id) : all.filter((l) => leadIds.includes(l.id)).map((l) => l.id);
      const contactErased = all.every((l) => chosen.includes(l.id) || l.erased_at !== null);
      const inList = (ids: string[]) => (ids.length > 0 ? ids.map(() => '?').join(', ') : 'null');

      const entries = chosen.length === 0 ? [] : await q<{ provider_id: string | null; body: string | null; direction: string | null; kind: string | null }>(
        `select provider_id, body, direction, meta->>'kind' as kind from timeline_entries where lead_id in (${inList(chosen)})`,
        chosen,
      );
      const providerIds = entries.map((e) => e.provider_id).filter((p): p is string => Boolean(p));
      const leadgenIds = entries.filter((e) => e.kind === 'leadgen' && e.provider_id).map((e) => e.provider_id!);
      // What the raw bodies may hold of this person: identifiers, and the words of their messages.
      const identifiers = [contact.phone?.replace(/^\+/, ''), contact.wa_id, contact.email, contact.bsuid].filter((v): v is string => Boolean(v && v.length >= 4));
      const needles = [...identifiers, ...(contact.name && contact.name.length >= 2 ? [contact.name] : []), ...entries.filter((e) => e.direction === 'in' && e.body && e.body.length >= 2).map((e) => e.body!)];

      // Bodies that carried this person's messages, and (when the person goes) any that name them.
      const byIdentity = contactErased && identifiers.length > 0;
      const events = providerIds.length === 0 && !byIdentity ? [] : await q<{ id: string; raw_body: string; content_type: string | null; error: string | null }>(
        `select id, raw_body, content_type, error from inbound_events
          where ${providerIds.length > 0 ? `provider_ids && array[${inList(providerIds)}]::text[]` : 'false'}
             ${byIdentity ? `or ${identifiers.map(() => 'position(? in raw_body) > 0').join(' or ')}` : ''}`,
        [...providerIds, ...(byIdentity ? identifiers : [])],
      );
      for (const e of events) {
        const redacted = redactRawBody(e.raw_body, e.content_type, needles);
        const error = e.error && needles.some((n) => e.error!.includes(n)) ? ERASED : e.error;
        await q('update inbound_events set raw_body = ?, error = ? where id = ?', [redacted, error, e.id]);
      }

      const sessions = await q<{ id: string }>(
        `select id from sessions where ${contactErased ? 'contact_id = ? or ' : ''}lead_id in (${inList(chosen)})`,
        [...(contactErased ? [contactId] : []), ...chosen],
      );
      if (sessions.length > 0) await q(`delete from sessions where id in (${inList(sessions.map((s) => s.id))})`, sessions.map((s) => s.id));

      let suppressed = false;
      if (contactErased && contact.erased_at === null) {
        if (contact.opted_out_at) {
          await new SuppressionRepository(tx).add(suppression({ phone: contact.phone, waId: contact.wa_id, email: contact.email }));
          suppressed = true;
        }
        await q(
          `update contacts set name = null, phone = null, email = null, wa_id = null, bsuid = null, time_zone = null, language = null, language_at = null,
             opted_out_at = null, opt_out_message_id = null, opted_in_channels = '{}', erased_at = now(), updated_at = now() where id = ?`,
          [contactId],
        );
      }
      if (chosen.length > 0) {
        await q(`update leads set deleted_at = coalesce(deleted_at, now()), erased_at = coalesce(erased_at, now()), updated_at = now() where id in (${inList(chosen)})`, chosen);
      }
      return { leadIds: chosen, contactErased, leadgenIds, sessionIds: sessions.map((s) => s.id), redactedEvents: events.length, suppressed };
    });
  }

  /** Provider ids of the leads' inbound messages by channel (their Redis dedupe keys go too). */
  async inboundProviderIds(leadIds: string[]): Promise<Array<{ channel: string; providerId: string }>> {
    if (leadIds.length === 0) return [];
    const rows = await this.em.getConnection().execute<{ channel: string | null; provider_id: string }[]>(
      `select meta->>'channel' as channel, provider_id from timeline_entries where lead_id in (${leadIds.map(() => '?').join(', ')}) and provider_id is not null and direction = 'in'`,
      leadIds,
    );
    return rows.map((r) => ({ channel: r.channel ?? '', providerId: r.provider_id }));
  }

  /** What the lead workflows wrote: gone, or reduced to what statistics need. Safe to run twice. */
  async scrub(leadIds: string[]): Promise<void> {
    if (leadIds.length === 0) return;
    const list = leadIds.map(() => '?').join(', ');
    await this.em.transactional(async (tx) => {
      const conn = tx.getConnection();
      const trx = tx.getTransactionContext();
      const q = (sql: string) => conn.execute(sql, leadIds, 'all', trx);
      await q(
        `update timeline_entries set body = null, provider_id = null,
           meta = case when meta->'channel' is not null then jsonb_build_object('channel', meta->'channel', 'erased', true) else '{"erased": true}'::jsonb end
         where lead_id in (${list})`,
      );
      await q(`delete from lead_profiles where lead_id in (${list})`);
      await q(`update qualifications set breakdown = '[]'::jsonb, reasons = '[]'::jsonb where lead_id in (${list})`);
      await q(`update tasks set title = '${ERASED}' where lead_id in (${list})`);
      await q(
        `update leads set last_message_preview = null, wa_phone_number_id = null,
           source = case when source->'channel' is not null then jsonb_build_object('channel', source->'channel') else null end,
           deleted_at = coalesce(deleted_at, now()), erased_at = coalesce(erased_at, now()), updated_at = now()
         where id in (${list})`,
      );
      await q(`delete from sessions where lead_id in (${list})`);
      // an alert e-mail still queued about an erased lead has nothing left to say
      await q(`update alert_mails set status = 'skipped', settled_at = now() where lead_id in (${list}) and status = 'queued'`);
      // memories are the person's words, condensed: nothing of them stays (the vector index goes in forgetErasedMemories)
      await q(`delete from lead_memories where lead_id in (${list})`);
    });
  }

  /** What is left of erased leads: the anonymous statistic (no person, no text), for the admin who erased them. */
  async anonymousLeads(leadIds: string[]): Promise<AnonymousLead[]> {
    if (leadIds.length === 0) return [];
    const rows = await this.em.getConnection().execute<{ id: string; channel: string; status: string; market: string; score: number | null; qualified: boolean; created_at: Date; erased_at: Date | null }[]>(
      `select id, channel, status, market, score, qualified, created_at, erased_at from leads where id in (${leadIds.map(() => '?').join(', ')}) order by created_at`,
      leadIds,
    );
    return rows.map((r) => ({ id: r.id, channel: r.channel, stage: r.status, market: r.market, score: r.score, qualified: r.qualified, createdAt: new Date(r.created_at).toISOString(), erasedAt: r.erased_at ? new Date(r.erased_at).toISOString() : null }));
  }

  /** The contact a lead belongs to (retention erases by lead). */
  async contactOf(leadId: string): Promise<string | null> {
    const rows = await this.em.getConnection().execute<{ contact_id: string }[]>('select contact_id from leads where id = ?', [leadId]);
    return rows[0]?.contact_id ?? null;
  }
}
