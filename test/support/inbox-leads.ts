import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';

// Leads written straight into the read model (no workflow) for inbox tests: a name ending in the
// run's tag and the tag as campaign id, so a test filters to its own leads in a shared database.

export interface InboxLeadSpec {
  score?: number | null;
  owner?: string | null;
  channel?: string;
  stage?: string;
  /** Minutes ago. */
  createdMin: number;
  lastMin?: number | null;
  /** Minutes from now the claim SLA is due (negative: overdue). */
  slaMin?: number | null;
  optedOut?: boolean;
  phone?: string;
  email?: string;
  inbound?: string;
  repliedAfter?: boolean;
  source?: string;
  alerts?: number;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

export async function seedInboxLead(orm: MikroORM, tag: string, name: string, l: InboxLeadSpec): Promise<string> {
  const conn = orm.em.fork().getConnection();
  const contactId = randomUUID();
  const leadId = randomUUID();
  await conn.execute(`insert into contacts (id, name, phone, email, market, opted_out_at, created_at, updated_at) values (?, ?, ?, ?, 'AE', ?, now(), now())`, [
    contactId,
    `${name} ${tag}`,
    l.phone ?? null,
    l.email ?? null,
    l.optedOut ? new Date() : null,
  ]);
  const last = l.lastMin === undefined || l.lastMin === null ? null : minutesAgo(l.lastMin);
  await conn.execute(
    `insert into leads (id, contact_id, channel, status, score, qualified, owner_id, workflow_id, market, source, last_message_at, last_message_preview, sla_due_at, alert_count, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'AE', ?, ?, ?, ?, ?, ?, now())`,
    [
      leadId,
      contactId,
      l.channel ?? 'whatsapp',
      l.stage ?? 'engaged',
      l.score ?? null,
      (l.score ?? 0) >= 60,
      l.owner ?? null,
      `lead-${leadId}`,
      JSON.stringify({ channel: l.channel ?? 'whatsapp', source: l.source ?? 'organic', campaign_id: tag }),
      last,
      l.inbound ? l.inbound.slice(0, 200) : null,
      l.slaMin === undefined || l.slaMin === null ? null : minutesAgo(-l.slaMin),
      l.alerts ?? 0,
      minutesAgo(l.createdMin),
    ],
  );
  if (l.inbound && last) {
    await conn.execute(`insert into timeline_entries (id, lead_id, type, actor, direction, body, provider_id, created_at) values (?, ?, 'message', 'lead', 'in', ?, ?, ?)`, [
      randomUUID(),
      leadId,
      l.inbound,
      `p-${leadId}`,
      last,
    ]);
    if (l.repliedAfter) {
      await conn.execute(`insert into timeline_entries (id, lead_id, type, actor, direction, body, delivery_status, created_at) values (?, ?, 'message', 'agent', 'out', 'Thanks!', 'sent', ?)`, [
        randomUUID(),
        leadId,
        new Date(last.getTime() + 5_000),
      ]);
    }
  }
  return leadId;
}
