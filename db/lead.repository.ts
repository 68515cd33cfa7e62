import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { LeadProfile, Market, Qualification } from '../domain/profile.schema';
import { ActivityEntity, ContactEntity, LeadEntity, LeadProfileEntity, QualificationEntity, type Contact, type Lead } from './entities';

// The lead aggregate: contact resolution, the lead row, its profile, qualifications and
// timeline. Workflows own the live state; this is the system of record and the read model.

export interface ContactIdentity {
  phone?: string | null;
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
}

export const CLOSED_STAGES = ['won', 'lost'];

export class LeadRepository {
  constructor(private readonly em: EntityManager) {}

  /** Finds the one contact behind any of the identifiers, creating it if none matches. */
  async resolveContact(identity: ContactIdentity): Promise<Contact> {
    const ors = [
      identity.phone ? { phone: identity.phone } : null,
      identity.waId ? { waId: identity.waId } : null,
      identity.bsuid ? { bsuid: identity.bsuid } : null,
      identity.email ? { email: identity.email.toLowerCase() } : null,
    ].filter((x) => x !== null);
    if (ors.length === 0) throw new Error('a contact needs at least one identifier');
    const existing = await this.em.findOne(ContactEntity, { $or: ors });
    if (existing) {
      // Fill identifiers we learn later (a WhatsApp lead who also filled a form), never overwrite.
      existing.phone ??= identity.phone ?? null;
      existing.waId ??= identity.waId ?? null;
      existing.bsuid ??= identity.bsuid ?? null;
      existing.email ??= identity.email?.toLowerCase() ?? null;
      existing.name ??= identity.name ?? null;
      await this.em.flush();
      return existing;
    }
    const contact = this.em.create(ContactEntity, {
      id: randomUUID(),
      name: identity.name ?? null,
      phone: identity.phone ?? null,
      email: identity.email?.toLowerCase() ?? null,
      waId: identity.waId ?? null,
      bsuid: identity.bsuid ?? null,
      market: identity.market,
      timeZone: null,
    });
    await this.em.flush();
    return contact;
  }

  /** The contact's open lead, or a new one on this channel. */
  async openLeadFor(contact: Contact, channel: string): Promise<{ lead: Lead; created: boolean }> {
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
    });
    await this.em.flush();
    return { lead, created: true };
  }

  async findLead(id: string): Promise<Lead | null> {
    return this.em.findOne(LeadEntity, { id, deletedAt: null }, { populate: ['contact'] });
  }

  async listLeads(filter: { status?: string; limit: number; offset: number }) {
    const where = { deletedAt: null, ...(filter.status ? { status: filter.status } : {}) };
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
    return this.em.find(ActivityEntity, { lead: leadId }, { orderBy: { createdAt: 'asc' } });
  }

  /** Inbound messages into the timeline: a provider id is written once, whatever retries happen. */
  async recordInbound(leadId: string, messages: TimelineMessage[]): Promise<number> {
    let inserted = 0;
    for (const m of messages) {
      const rows = await this.em.getConnection().execute(
        `insert into activities (id, lead_id, type, actor, direction, body, provider_id, meta, created_at)
         values (?, ?, 'message', 'lead', 'in', ?, ?, ?, ?)
         on conflict (provider_id) do nothing returning id`,
        [randomUUID(), leadId, m.text, m.providerId, JSON.stringify({ kind: m.kind, ...m.meta }), new Date(m.receivedAt)],
      );
      inserted += rows.length;
    }
    if (messages.length > 0) {
      const last = messages[messages.length - 1]!;
      await this.em.getConnection().execute(
        `update leads set last_message_at = ?, last_message_preview = ?, updated_at = now() where id = ?`,
        [new Date(last.receivedAt), last.text.slice(0, 200), leadId],
      );
    }
    return inserted;
  }

  /**
   * Claims the outbound row for one turn's reply. Returns the row's state so the caller
   * sends only what has not been sent; a retried activity finds the row already there.
   */
  async claimOutbound(args: { leadId: string; text: string; idempotencyKey: string; channel: string; actor?: string }) {
    await this.em.getConnection().execute(
      `insert into activities (id, lead_id, type, actor, direction, body, idempotency_key, delivery_status, meta, created_at)
       values (?, ?, 'message', ?, 'out', ?, ?, 'queued', ?, now())
       on conflict (idempotency_key) do nothing`,
      [randomUUID(), args.leadId, args.actor ?? 'agent', args.text, args.idempotencyKey, JSON.stringify({ channel: args.channel })],
    );
    const row = await this.em.getConnection().execute<{ id: string; delivery_status: string; provider_id: string | null }[]>(
      `select id, delivery_status, provider_id from activities where idempotency_key = ?`,
      [args.idempotencyKey],
    );
    return row[0]!;
  }

  async markOutbound(activityId: string, status: string, providerId?: string | null, error?: string) {
    await this.em.getConnection().execute(
      `update activities set delivery_status = ?, provider_id = coalesce(?, provider_id),
         meta = coalesce(meta, '{}'::jsonb) || ?::jsonb where id = ?`,
      [status, providerId ?? null, JSON.stringify(error ? { error } : {}), activityId],
    );
  }

  async saveProjection(p: Projection): Promise<void> {
    const lead = await this.em.findOneOrFail(LeadEntity, { id: p.leadId });
    const score = p.qualification?.score ?? null;
    const scoreChanged = lead.score !== score || lead.qualified !== (p.qualification?.qualified ?? false);
    if (lead.status !== p.stage) {
      this.em.create(ActivityEntity, {
        id: randomUUID(),
        lead,
        type: 'status_change',
        actor: 'system',
        body: `${lead.status} → ${p.stage}`,
        meta: { from: lead.status, to: p.stage },
      });
    }
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
        source: 'agent',
        by: null,
      });
    }
    await this.em.flush();
  }
}
