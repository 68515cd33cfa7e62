import type { EntityManager } from '@mikro-orm/postgresql';
import { Channel } from '../domain/profile.schema';

// What channels need from the database: the reply target of one lead, read in ONE query
// (recipient identity, the channel of the message being answered, the last inbound time per
// channel for window rules, business numbers, the person's opt-out), and the opt-out itself.

export interface ReplyContextRow {
  leadId: string;
  recipient: { contactId: string; name: string | null; phone: string | null; email: string | null; waId: string | null; bsuid: string | null };
  businessAddress: Partial<Record<Channel, string>>;
  lastInboundAt: Partial<Record<Channel, string>>;
  answeredChannel: Channel | null;
  optOut: { at: string; messageId: string | null; reenabled: Channel[] } | null;
}

type Row = {
  lead_id: string;
  wa_phone_number_id: string | null;
  contact_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  wa_id: string | null;
  bsuid: string | null;
  opted_out_at: Date | string | null;
  opt_out_message_id: string | null;
  opted_in_channels: string[] | null;
  answered_channel: string | null;
  last_inbound: Record<string, string> | string | null;
};

const channelOrNull = (v: unknown): Channel | null => {
  const parsed = Channel.safeParse(v);
  return parsed.success ? parsed.data : null;
};

export class ChannelRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * The newest of the answered inbound messages decides the channel (for a reply that answers
   * none, a nudge or a broker's message: the lead's newest inbound message).
   */
  async replyContext(leadId: string, inReplyTo: string[]): Promise<ReplyContextRow | null> {
    const filter = inReplyTo.length > 0 ? `and a.provider_id in (${inReplyTo.map(() => '?').join(', ')})` : '';
    const rows = await this.em.getConnection().execute<Row[]>(
      `select l.id as lead_id, l.wa_phone_number_id, c.id as contact_id, c.name, c.phone, c.email, c.wa_id, c.bsuid,
              c.opted_out_at, c.opt_out_message_id, c.opted_in_channels,
              (select a.meta->>'channel' from timeline_entries a
                where a.lead_id = l.id and a.direction = 'in' and a.type = 'message' ${filter}
                order by a.created_at desc limit 1) as answered_channel,
              (select jsonb_object_agg(x.channel, x.at) from (
                 select a.meta->>'channel' as channel, max(a.created_at) as at from timeline_entries a
                  where a.lead_id = l.id and a.direction = 'in' and a.type = 'message' and a.meta->>'channel' is not null
                  group by 1) x) as last_inbound
         from leads l join contacts c on c.id = l.contact_id
        where l.id = ? and l.deleted_at is null`,
      [...inReplyTo, leadId],
    );
    const r = rows[0];
    if (!r) return null;
    const lastRaw = typeof r.last_inbound === 'string' ? (JSON.parse(r.last_inbound) as Record<string, string>) : (r.last_inbound ?? {});
    const lastInboundAt: Partial<Record<Channel, string>> = {};
    for (const [k, v] of Object.entries(lastRaw)) {
      const ch = channelOrNull(k);
      if (ch) lastInboundAt[ch] = new Date(v).toISOString();
    }
    return {
      leadId: r.lead_id,
      recipient: { contactId: r.contact_id, name: r.name, phone: r.phone, email: r.email, waId: r.wa_id, bsuid: r.bsuid },
      businessAddress: r.wa_phone_number_id ? { whatsapp: r.wa_phone_number_id } : {},
      lastInboundAt,
      answeredChannel: channelOrNull(r.answered_channel),
      optOut: r.opted_out_at
        ? {
            at: new Date(r.opted_out_at).toISOString(),
            messageId: r.opt_out_message_id,
            reenabled: (r.opted_in_channels ?? []).map(channelOrNull).filter((c): c is Channel => c !== null),
          }
        : null,
    };
  }

  /** STOP: the person is opted out of every channel; a later STOP starts over (re-enabled channels are cleared). */
  async optOut(contactId: string, messageId: string): Promise<void> {
    await this.em.getConnection().execute(
      `update contacts set opted_out_at = now(), opt_out_message_id = ?, opted_in_channels = '{}', updated_at = now() where id = ?`,
      [messageId, contactId],
    );
  }

  /** START on a channel re-enables that channel. Returns whether the person was opted out. */
  async optIn(contactId: string, channel: Channel): Promise<boolean> {
    const rows = await this.em.getConnection().execute<{ id: string }[]>(
      `update contacts set opted_in_channels = array_append(opted_in_channels, ?::text), updated_at = now()
        where id = ? and opted_out_at is not null and not (? = any(opted_in_channels)) returning id`,
      [channel, contactId, channel],
    );
    return rows.length > 0;
  }
}
