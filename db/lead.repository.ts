import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { furthestStage } from '../domain/lead-stage.rules';
import type { LeadProfile, Market, Qualification } from '../domain/profile.schema';
import { ContactRepository } from './contact.repository';
import type { AlertMailKind } from './alert-mail.repository';
import { LeadMilestonesRepository, countingNudgeSent } from './lead-milestones.repository';
import { TimelineEntryEntity, ContactEntity, LeadEntity, LeadProfileEntity, QualificationEntity, TaskEntity, type Contact, type Lead } from './entities';

// The lead aggregate: contact resolution, the lead row, its profile, qualifications and
// timeline. Workflows own the live state; this is the system of record and the read model.

export interface ContactIdentity {
  phone?: string | null;
  /** The phone as the person gave it, kept beside its E.164 form (`phone`). */
  phoneRaw?: string | null;
  email?: string | null;
  waId?: string | null;
  bsuid?: string | null;
  name?: string | null;
  market: Market;
}

export interface TimelineMessage {
  providerId: string;
  text: string;
  kind: string;
  receivedAt: string;
  meta?: Record<string, unknown>;
}

export interface Projection {
  leadId: string;
  stage: string;
  profile: LeadProfile;
  qualification: Qualification | null;
  ownerId: string | null;
  lastMessageAt: string | null;
  nextFollowUpAt?: string | null;
  slaDueAt?: string | null;
  /** Set when a broker qualified the lead by hand: the qualification row is theirs, not the agent's. */
  qualificationBy?: string | null;
}

export const CLOSED_STAGES = ['won', 'lost'];

/** What a new lead is opened with, in its insert: its first touch and the WhatsApp number written to. */
export interface LeadOpening {
  source?: Record<string, unknown>;
  waPhoneNumberId?: string;
}

export class LeadRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Finds the one contact behind any of the identifiers, creating it if none matches; with no
   * identifier at all (an anonymous web chat) a new contact is created. When several contacts
   * match different identifiers (a form's email belongs to one, its phone to another) the
   * oldest wins, deterministically, and only identifiers no other contact holds are added to it.
   * Concurrent first messages from one person race on the unique columns: the loser re-reads.
   */
  async resolveContact(identity: ContactIdentity): Promise<Contact> {
    const wanted = {
      phone: identity.phone || null,
      waId: identity.waId || null,
      bsuid: identity.bsuid || null,
      email: identity.email ? identity.email.trim().toLowerCase() : null,
    };
    const ors = (Object.entries(wanted) as Array<[keyof typeof wanted, string | null]>)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => ({ [k]: v }));
    for (let attempt = 0; attempt < 3; attempt++) {
      const matches = ors.length > 0 ? await this.em.find(ContactEntity, { $or: ors }, { orderBy: { createdAt: 'asc', id: 'asc' } }) : [];
      const chosen = matches[0];
      if (chosen) {
        // Fill identifiers we learn later (a WhatsApp lead who also filled a form), never overwrite.
        for (const key of ['phone', 'waId', 'bsuid', 'email'] as const) {
          const value = wanted[key];
          if (value === null || chosen[key]) continue;
          if (matches.some((m) => m !== chosen && m[key] === value)) continue;
          chosen[key] = value;
        }
        chosen.name ??= identity.name ?? null;
        chosen.phoneRaw ??= identity.phoneRaw ?? null;
        try {
          await this.em.flush();
          return chosen;
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          this.em.clear();
          continue;
        }
      }
      const id = randomUUID();
      const inserted = await this.em.getConnection().execute<{ id: string }[]>(
        `insert into contacts (id, name, phone, phone_raw, email, wa_id, bsuid, market, time_zone, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, null, now(), now())
         on conflict do nothing returning id`,
        [id, identity.name ?? null, wanted.phone, identity.phoneRaw ?? null, wanted.email, wanted.waId, wanted.bsuid, identity.market],
      );
      if (inserted.length > 0) return this.em.findOneOrFail(ContactEntity, { id });
    }
    throw new Error('could not resolve the contact after concurrent updates');
  }

  /**
   * openLeadFor under a per-contact advisory lock, so two first messages arriving at once
   * (Meta delivers in parallel) open one lead, not two.
   */
  async openLeadExclusive(contactId: string, channel: string, opening: LeadOpening = {}): Promise<{ lead: Lead; created: boolean }> {
    return this.em.transactional(async (tx) => {
      await tx.getConnection().execute('select pg_advisory_xact_lock(hashtext(?))', [`lead-open:${contactId}`], 'all', tx.getTransactionContext());
      const contact = await tx.findOneOrFail(ContactEntity, { id: contactId });
      return new LeadRepository(tx).openLeadFor(contact, channel, opening);
    });
  }

  /** The contact's open lead, or a new one on this channel (with `opening` in its insert). */
  async openLeadFor(contact: Contact, channel: string, opening: LeadOpening = {}): Promise<{ lead: Lead; created: boolean }> {
    const open = await this.em.findOne(
      LeadEntity,
      { contact: contact.id, deletedAt: null, status: { $nin: CLOSED_STAGES } },
      { orderBy: { createdAt: 'desc' } },
    );
    if (open) return { lead: open, created: false };
    const id = randomUUID();
    const lead = this.em.create(LeadEntity, {
      id,
      contact,
      channel,
      status: 'new',
      workflowId: `lead-${id}`,
      market: contact.market,
      qualified: false,
      ...(opening.source && { source: opening.source }),
      ...(opening.waPhoneNumberId && { waPhoneNumberId: opening.waPhoneNumberId }),
    });
    await this.em.flush();
    return { lead, created: true };
  }

  async findLead(id: string): Promise<Lead | null> {
    return this.em.findOne(LeadEntity, { id, deletedAt: null }, { populate: ['contact'] });
  }

  /** `visibleToBroker`: only the unclaimed pool and that broker's own leads (what a broker may see). */
  async listLeads(filter: { status?: string; limit: number; offset: number; visibleToBroker?: string }) {
    const where = {
      deletedAt: null,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.visibleToBroker ? { $or: [{ ownerId: null }, { ownerId: filter.visibleToBroker }] } : {}),
    };
    const [items, total] = await this.em.findAndCount(LeadEntity, where, {
      populate: ['contact'],
      orderBy: { createdAt: 'desc' },
      limit: filter.limit,
      offset: filter.offset,
    });
    return { items, total };
  }

  async profileOf(leadId: string) {
    return this.em.findOne(LeadProfileEntity, { lead: leadId });
  }

  async latestQualification(leadId: string) {
    return this.em.findOne(QualificationEntity, { lead: leadId }, { orderBy: { createdAt: 'desc' } });
  }

  async timeline(leadId: string) {
    return this.em.find(TimelineEntryEntity, { lead: leadId }, { orderBy: { createdAt: 'asc' } });
  }

  /** Inbound messages into the timeline: a provider id is written once, whatever retries happen. */
  async recordInbound(leadId: string, messages: TimelineMessage[]): Promise<number> {
    let inserted = 0;
    for (const m of messages) {
      const rows = await this.em.getConnection().execute(
        `insert into timeline_entries (id, lead_id, type, actor, direction, body, provider_id, meta, created_at)
         values (?, ?, 'message', 'lead', 'in', ?, ?, ?, ?)
         on conflict (provider_id) do nothing returning id`,
        [randomUUID(), leadId, m.text, m.providerId, JSON.stringify({ kind: m.kind, ...m.meta }), new Date(m.receivedAt)],
      );
      inserted += rows.length;
    }
    await new LeadMilestonesRepository(this.em).inbound(
      leadId,
      messages.map((m) => ({ at: new Date(m.receivedAt), text: m.text })),
    );
    return inserted;
  }

  /** The broker who owns the lead now, as last written (the workflow may know of a newer claim). */
  async ownerOf(leadId: string): Promise<string | null> {
    const rows = await this.em.getConnection().execute<{ owner_id: string | null }[]>(`select owner_id from leads where id = ?`, [leadId]);
    return rows[0]?.owner_id ?? null;
  }

  /**
   * Claims the outbound row for one turn's reply. Returns the row's state so the caller
   * sends only what has not been sent; a retried activity finds the row already there.
   */
  async claimOutbound(args: { leadId: string; text: string; idempotencyKey: string; channel: string; actor?: string; nudgeStep?: number }) {
    const insert = `insert into timeline_entries (id, lead_id, type, actor, direction, body, idempotency_key, delivery_status, meta, created_at)
       values (?, ?, 'message', ?, 'out', ?, ?, 'queued', ?, now())
       on conflict (idempotency_key) do nothing returning lead_id, meta->>'nudgeStep' as step`;
    await this.em.getConnection().execute(args.nudgeStep ? countingNudgeSent(insert) : insert, [
      randomUUID(),
      args.leadId,
      args.actor ?? 'agent',
      args.text,
      args.idempotencyKey,
      JSON.stringify({ channel: args.channel, ...(args.nudgeStep && { nudgeStep: args.nudgeStep }) }),
    ]);
    await new LeadMilestonesRepository(this.em).outbound(args.idempotencyKey);
    const row = await this.em.getConnection().execute<{ id: string; delivery_status: string; provider_id: string | null }[]>(
      `select id, delivery_status, provider_id from timeline_entries where idempotency_key = ?`,
      [args.idempotencyKey],
    );
    return row[0]!;
  }

  async markOutbound(entryId: string, status: string, providerId?: string | null, error?: string, meta: Record<string, unknown> = {}) {
    await this.em.getConnection().execute(
      // A status webhook can beat the send response (matched by biz_opaque_callback_data):
      // "sent" from the sender must not undo the delivered/read/failed it already recorded.
      `update timeline_entries set delivery_status = case when ? = 'sent' and delivery_status in ('failed', 'undelivered', 'delivered', 'read', 'played') then delivery_status else ? end,
         provider_id = coalesce(?, provider_id),
         meta = coalesce(meta, '{}'::jsonb) || ?::jsonb where id = ?`,
      [status, status, providerId ?? null, JSON.stringify({ ...meta, ...(error ? { error } : {}) }), entryId],
    );
  }

  async saveProjection(p: Projection): Promise<void> {
    const lead = await this.em.findOneOrFail(LeadEntity, { id: p.leadId });
    const score = p.qualification?.score ?? null;
    const scoreChanged = lead.score !== score || lead.qualified !== (p.qualification?.qualified ?? false);
    if (lead.status !== p.stage) {
      const at = new Date();
      this.em.create(TimelineEntryEntity, {
        id: randomUUID(),
        lead,
        type: 'status_change',
        actor: 'system',
        body: `${lead.status} → ${p.stage}`,
        meta: { from: lead.status, to: p.stage },
        createdAt: at,
      });
      // The first claim only: a lead released and claimed again keeps its first time to claim.
      if (p.stage === 'claimed') lead.claimedAt ??= at;
      if (p.stage === 'lost') lead.lostAt ??= at;
    }
    lead.furthestStage = furthestStage(lead.furthestStage ?? null, p.stage);
    lead.status = p.stage;
    lead.score = score;
    lead.qualified = p.qualification?.qualified ?? false;
    lead.ownerId = p.ownerId;
    if (p.nextFollowUpAt !== undefined) lead.nextFollowUpAt = p.nextFollowUpAt ? new Date(p.nextFollowUpAt) : null;
    if (p.slaDueAt !== undefined) lead.slaDueAt = p.slaDueAt ? new Date(p.slaDueAt) : null;

    const { contactValid, ...fields } = p.profile;
    const profileRow = await this.em.findOne(LeadProfileEntity, { lead: p.leadId });
    if (profileRow) this.em.assign(profileRow, { ...fields, contactValid });
    else this.em.create(LeadProfileEntity, { lead, ...fields, contactValid });

    if (p.qualification && scoreChanged) {
      this.em.create(QualificationEntity, {
        id: randomUUID(),
        lead,
        score: p.qualification.score,
        qualified: p.qualification.qualified,
        breakdown: p.qualification.breakdown,
        reasons: p.qualification.reasons,
        source: p.qualificationBy ? 'manual' : 'agent',
        by: p.qualificationBy ?? null,
      });
    }
    await this.em.flush();
  }

  // ---- Channels (#7) -------------------------------------------------------------------

  /** The WhatsApp business number the lead last wrote to. */
  async setWhatsAppNumber(leadId: string, phoneNumberId: string): Promise<void> {
    await this.em.getConnection().execute(
      `update leads set wa_phone_number_id = ? where id = ? and wa_phone_number_id is distinct from ?`,
      [phoneNumberId, leadId, phoneNumberId],
    );
  }

  /**
   * A later touch on an existing lead (a Lead Ads form from someone already chatting): the
   * first touch stays the lead's source, later ones are listed under `touches`.
   */
  async addSourceTouch(leadId: string, touch: Record<string, unknown>): Promise<void> {
    await this.em.getConnection().execute(
      `update leads set source = coalesce(source, '{}'::jsonb)
         || jsonb_build_object('touches', coalesce(source->'touches', '[]'::jsonb) || jsonb_build_array(?::jsonb))
       where id = ?`,
      [JSON.stringify(touch), leadId],
    );
  }

  /** The first reply written after an inbound message (a retried web chat turn asks for it again). */
  async replyAfter(leadId: string, providerId: string): Promise<{ body: string; idempotencyKey: string | null; deliveryStatus: string | null } | null> {
    const rows = await this.em.getConnection().execute<{ body: string; idempotency_key: string | null; delivery_status: string | null }[]>(
      `select o.body, o.idempotency_key, o.delivery_status from timeline_entries i
       join timeline_entries o on o.lead_id = i.lead_id and o.direction = 'out' and o.type = 'message' and o.created_at >= i.created_at
       where i.lead_id = ? and i.provider_id = ? order by o.created_at asc limit 1`,
      [leadId, providerId],
    );
    const r = rows[0];
    return r ? { body: r.body, idempotencyKey: r.idempotency_key, deliveryStatus: r.delivery_status } : null;
  }

  /**
   * A WhatsApp delivery status for one of our messages, found by wamid or else by the
   * idempotency key we sent as biz_opaque_callback_data (the status can beat the send
   * response). Never moves a status backwards (`shouldApply` is the domain rule).
   */
  async applyDeliveryStatus(
    status: { wamid: string; status: string; callbackData?: string; timestamp: string; errors?: unknown[]; pricingCategory?: string },
    shouldApply: (current: string | null) => boolean,
  ): Promise<{ outcome: 'applied' | 'stale' | 'unknown'; leadId: string | null; idempotencyKey: string | null }> {
    return this.em.transactional(async (tx) => {
      const conn = tx.getConnection();
      const trx = tx.getTransactionContext();
      type Row = { id: string; lead_id: string; idempotency_key: string | null; delivery_status: string | null };
      let rows = await conn.execute<Row[]>(
        `select id, lead_id, idempotency_key, delivery_status from timeline_entries where provider_id = ? and direction = 'out' for update`,
        [status.wamid],
        'all',
        trx,
      );
      if (rows.length === 0 && status.callbackData) {
        rows = await conn.execute<Row[]>(
          `select id, lead_id, idempotency_key, delivery_status from timeline_entries where idempotency_key = ? and direction = 'out' and (provider_id is null or provider_id = ?) for update`,
          [status.callbackData, status.wamid],
          'all',
          trx,
        );
      }
      const row = rows[0];
      if (!row) return { outcome: 'unknown', leadId: null, idempotencyKey: null };
      const found = { leadId: row.lead_id, idempotencyKey: row.idempotency_key };
      if (!shouldApply(row.delivery_status)) return { outcome: 'stale', ...found };
      const meta = {
        statusAt: status.timestamp,
        ...(status.errors && status.errors.length > 0 && { deliveryErrors: status.errors }),
        ...(status.pricingCategory && { pricingCategory: status.pricingCategory }),
      };
      await conn.execute(
        `update timeline_entries set delivery_status = ?, provider_id = coalesce(provider_id, ?), meta = coalesce(meta, '{}'::jsonb) || ?::jsonb where id = ?`,
        [status.status, status.wamid, JSON.stringify(meta), row.id],
        'all',
        trx,
      );
      return { outcome: 'applied', ...found };
    });
  }

  /**
   * A WhatsApp system message: the person changed number or business-scoped user ID. The
   * contact is re-keyed (identifiers another contact already holds are left alone) and the
   * change is noted on their open lead, once per system message id.
   */
  async applyIdentityChange(change: {
    providerId: string;
    at: string;
    kind: string;
    body?: string;
    previous: { waId?: string; bsuid?: string };
    current: { waId?: string; bsuid?: string; phoneE164?: string };
  }): Promise<{ contactId: string | null; updated: string[] }> {
    const contact =
      (change.previous.waId ? await this.em.findOne(ContactEntity, { waId: change.previous.waId }) : null) ??
      (change.previous.bsuid ? await this.em.findOne(ContactEntity, { bsuid: change.previous.bsuid }) : null);
    if (!contact) return { contactId: null, updated: [] };
    const updated: string[] = [];
    const next: Array<['waId' | 'bsuid' | 'phone', string | undefined]> = [
      ['waId', change.current.waId],
      ['bsuid', change.current.bsuid],
      ['phone', change.current.phoneE164],
    ];
    let newer: Contact | null = null;
    for (const [key, value] of next) {
      if (!value || contact[key] === value) continue;
      const holder = await this.em.findOne(ContactEntity, { [key]: value, id: { $ne: contact.id } });
      // The new number wrote before the change arrived: same person, two contacts. Linked below.
      if (holder) {
        newer ??= holder;
        continue;
      }
      contact[key] = value;
      updated.push(key);
    }
    await this.em.flush();
    if (newer) await new ContactRepository(this.em).linkSamePerson({ older: contact.id, newer: newer.id, providerId: change.providerId, at: change.at });
    const lead = await this.em.findOne(
      LeadEntity,
      { contact: contact.id, deletedAt: null, status: { $nin: CLOSED_STAGES } },
      { orderBy: { createdAt: 'desc' } },
    );
    if (lead) {
      await this.em.getConnection().execute(
        `insert into timeline_entries (id, lead_id, type, actor, direction, body, provider_id, meta, created_at)
         values (?, ?, 'note', 'system', null, ?, ?, ?, ?) on conflict (provider_id) do nothing`,
        [randomUUID(), lead.id, change.body ?? `WhatsApp identity change: ${change.kind}`, change.providerId, JSON.stringify({ kind: change.kind, updated }), new Date(change.at)],
      );
    }
    return { contactId: contact.id, updated };
  }

  // ---- Lead lifecycle (#4) ---------------------------------------------------------------

  /**
   * A lifecycle event on the timeline (handoff, reminder, alert, note), written once per
   * idempotency key however often the activity is retried. Returns whether this call wrote it.
   */
  /**
   * A timeline entry, once per idempotency key; with `mail`, the alert e-mail it calls for is
   * queued in the same statement (db/alert-mail.entity.ts), so the entry never exists without it
   * and a retried write queues nothing twice.
   */
  async recordLeadEvent(e: { leadId: string; type: string; actor: string; body: string; idempotencyKey: string; meta?: Record<string, unknown>; mail?: { kind: AlertMailKind; brokerId: string | null } }): Promise<boolean> {
    const meta = JSON.stringify(e.meta ?? {});
    const entry = `insert into timeline_entries (id, lead_id, type, actor, direction, body, idempotency_key, meta, created_at)
       values (?, ?, ?, ?, null, ?, ?, ?, now())
       on conflict (idempotency_key) do nothing returning id`;
    const params = [randomUUID(), e.leadId, e.type, e.actor, e.body, e.idempotencyKey, meta];
    const rows = e.mail
      ? await this.em.getConnection().execute<{ id: string }[]>(
          `with entry as (${entry}),
           mail as (insert into alert_mails (id, lead_id, kind, broker_id, meta, next_attempt_at, created_at) select ?, ?, ?, ?, ?, now(), now() from entry)
           select id from entry`,
          [...params, randomUUID(), e.leadId, e.mail.kind, e.mail.brokerId, meta],
        )
      : await this.em.getConnection().execute<{ id: string }[]>(entry, params);
    if (e.type === 'handoff') await new LeadMilestonesRepository(this.em).handoff(e.idempotencyKey);
    // The inbox badge counts each alert once, however often the activity was retried.
    if (rows.length > 0 && e.type === 'alert') {
      await this.em.getConnection().execute(`update leads set alert_count = alert_count + 1, last_alert_at = now() where id = ?`, [e.leadId]);
    }
    return rows.length > 0;
  }

  /**
   * The workflow's task as a row. Completion and reminder times only ever go from null to a
   * time, so writes arriving out of order never undo one.
   */
  async upsertTask(leadId: string, t: { id: string; title: string; dueAt: string; assignee: string | null; completedAt: string | null; remindedAt: string | null }): Promise<void> {
    await this.em.getConnection().execute(
      `insert into tasks (id, lead_id, title, due_at, assignee, completed_at, reminded_at, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, now(), now())
       on conflict (id) do update set title = excluded.title, due_at = excluded.due_at, assignee = excluded.assignee,
         completed_at = coalesce(tasks.completed_at, excluded.completed_at),
         reminded_at = coalesce(tasks.reminded_at, excluded.reminded_at), updated_at = now()`,
      [t.id, leadId, t.title, new Date(t.dueAt), t.assignee, t.completedAt ? new Date(t.completedAt) : null, t.remindedAt ? new Date(t.remindedAt) : null],
    );
  }

  async tasksOf(leadId: string) {
    return this.em.find(TaskEntity, { lead: leadId }, { orderBy: { dueAt: 'asc' } });
  }

  /** The lead's contact's IANA time zone, when known. */
  async contactTimeZone(leadId: string): Promise<string | null> {
    const rows = await this.em.getConnection().execute<{ time_zone: string | null }[]>(
      `select c.time_zone from leads l join contacts c on c.id = l.contact_id where l.id = ?`,
      [leadId],
    );
    return rows[0]?.time_zone ?? null;
  }
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof UniqueConstraintViolationException || (err as { code?: unknown } | null)?.code === '23505';
}
