import type { EntityManager } from '@mikro-orm/postgresql';

// Everything Leadline holds about one person (data rights, #12): the contact, each of their
// leads with its profile, qualifications, attribution, messages and events, memories, tasks, consents,
// web chat sessions and the audit entries. Temporal histories hold the same conversation,
// encrypted with the lead's key; they are not repeated here.

type Row = Record<string, unknown>;

export interface ContactExport {
  exportedAt: string;
  contact: Row;
  consents: { optedOutAt: unknown; optOutMessageId: unknown; optedInChannels: unknown };
  leads: Array<Row & { profile: Row | null; qualifications: Row[]; messages: Row[]; events: Row[]; tasks: Row[]; audit: Row[]; memories: Row[] }>;
  sessions: Row[];
}

export class ContactExportRepository {
  constructor(private readonly em: EntityManager) {}

  async export(contactId: string): Promise<ContactExport | null> {
    const q = <T extends Row>(sql: string, params: unknown[]) => this.em.getConnection().execute<T[]>(sql, params);
    const [contact] = await q(
      `select id, name, phone, email, wa_id as "waId", bsuid, market, time_zone as "timeZone", language, opted_out_at as "optedOutAt",
              opt_out_message_id as "optOutMessageId", opted_in_channels as "optedInChannels", erased_at as "erasedAt", created_at as "createdAt", updated_at as "updatedAt"
         from contacts where id = ?`,
      [contactId],
    );
    if (!contact) return null;
    const leads = await q(
      `select id, channel, status as stage, score, qualified, owner_id as "ownerId", market, source as attribution, last_message_at as "lastMessageAt",
              erased_at as "erasedAt", created_at as "createdAt", updated_at as "updatedAt"
         from leads where contact_id = ? order by created_at`,
      [contactId],
    );
    const out: ContactExport['leads'] = [];
    for (const lead of leads) {
      const id = lead.id;
      const [profile] = await q('select persona, city, areas, property_type as "propertyType", beds_min as "bedsMin", beds_max as "bedsMax", budget_min as "budgetMin", budget_max as "budgetMax", currency, budget_period as "budgetPeriod", timeline, finance, contact_valid as "contactValid", updated_at as "updatedAt" from lead_profiles where lead_id = ?', [id]);
      const timeline = await q<Row & { type: string }>('select id, type, actor, direction, body, provider_id as "providerId", delivery_status as "deliveryStatus", meta, created_at as "at" from timeline_entries where lead_id = ? order by created_at, id', [id]);
      out.push({
        ...lead,
        profile: profile ?? null,
        qualifications: await q('select score, qualified, breakdown, reasons, source, by, created_at as "at" from qualifications where lead_id = ? order by created_at', [id]),
        messages: timeline.filter((t) => t.type === 'message'),
        events: timeline.filter((t) => t.type !== 'message'),
        tasks: await q('select id, title, due_at as "dueAt", assignee, completed_at as "completedAt", reminded_at as "remindedAt", created_at as "createdAt" from tasks where lead_id = ? order by due_at', [id]),
        audit: await q('select action, actor_id as "actorId", actor_role as "actorRole", details, at from audit_log where lead_id = ? order by at, id', [id]),
        // what the agent remembered from their messages is held about them too
        memories: await q('select kind, text, message_provider_id as "messageId", created_at as "at" from lead_memories where lead_id = ? order by created_at, id', [id]),
      });
    }
    const sessions = await q('select id, market, claimed_phone as "claimedPhone", claimed_email as "claimedEmail", verified_at as "verifiedAt", created_at as "createdAt", expires_at as "expiresAt" from sessions where contact_id = ? order by created_at', [contactId]);
    const { optedOutAt, optOutMessageId, optedInChannels, ...rest } = contact;
    return { exportedAt: new Date().toISOString(), contact: rest, consents: { optedOutAt, optOutMessageId, optedInChannels }, leads: out, sessions };
  }
}
