import type { EntityManager } from '@mikro-orm/postgresql';
import type { InboxSort, LeadListFilters } from '../domain/lead-inbox.schema';
import { LeadEntity, type Lead } from './entities';

// The Lead Inbox's read query: filters, search, sort and keyset paging over the leads read
// model, in SQL so the totals are true and paging holds at any volume. Search uses the
// trigram indexes on contacts and the full-text index on message bodies (migration
// 20261218090000); without pg_trgm the same predicates still answer, only slower.

interface InboxFlags {
  needsReply: boolean;
  optedOut: boolean;
  slaBreached: boolean;
}

export interface InboxQuery extends LeadListFilters {
  limit: number;
  offset: number;
  cursor?: string;
  /** Only the unclaimed pool and this broker's own leads (what a broker may see). */
  visibleToBroker?: string;
  /** The caller's broker id, for `owner=mine`; none matches nothing. */
  me?: string | null;
}

interface InboxPage {
  items: Array<{ lead: Lead; flags: InboxFlags }>;
  total: number;
  nextCursor: string | null;
}

/** The lead wrote last and no reply (that was not refused by the provider) went out since. */
const NEEDS_REPLY = `(l.last_message_at is not null and l.status not in ('won', 'lost') and not exists (
  select 1 from timeline_entries o where o.lead_id = l.id and o.type = 'message' and o.direction = 'out'
    and o.created_at >= l.last_message_at and coalesce(o.delivery_status, '') not in ('failed', 'undelivered')))`;
/** Every name, address and number of a contact in one text: the trigram index's exact expression. */
const CONTACT_SEARCH_TEXT = `(coalesce(c2.name, '') || ' ' || coalesce(c2.email, '') || ' ' || coalesce(c2.phone, '') || ' ' || coalesce(c2.wa_id, '') || ' ' || coalesce(c2.claimed_name, '') || ' ' || coalesce(c2.claimed_email, '') || ' ' || coalesce(c2.claimed_phone, ''))`;
const SLA_BREACHED = `(l.sla_due_at is not null and l.sla_due_at < now() and l.owner_id is null)`;

/**
 * Each sort as a null-free expression (so a row comparison pages through it), its direction,
 * and the type its cursor value is cast back to. Ties break on the id in the same direction.
 */
const SORTS: Record<InboxSort, { expr: string; dir: 'asc' | 'desc'; cast: string }> = {
  score: { expr: 'coalesce(l.score, -1)', dir: 'desc', cast: 'int' },
  // Soonest due first; leads with no SLA running go last.
  sla: { expr: `coalesce(l.sla_due_at, 'infinity'::timestamptz)`, dir: 'asc', cast: 'timestamptz' },
  last_message: { expr: 'coalesce(l.last_message_at, l.created_at)', dir: 'desc', cast: 'timestamptz' },
  created: { expr: 'l.created_at', dir: 'desc', cast: 'timestamptz' },
};

interface Cursor {
  s: InboxSort;
  v: string;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/** A cursor from another sort or a tampered one is refused, not silently reinterpreted. */
function decodeCursor(raw: string, sort: InboxSort): Cursor | null {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (c.s !== sort || typeof c.v !== 'string' || typeof c.id !== 'string' || !/^[0-9a-f-]{36}$/.test(c.id)) return null;
    return { s: c.s, v: c.v, id: c.id };
  } catch {
    return null;
  }
}

/** `%`, `_` and `\` typed by a broker are literal characters, not wildcards. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export class LeadInboxRepository {
  constructor(private readonly em: EntityManager) {}

  async list(q: InboxQuery): Promise<InboxPage | { error: 'bad_cursor' }> {
    const where: string[] = ['l.deleted_at is null'];
    const params: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      where.push(sql);
      params.push(...values);
    };

    if (q.visibleToBroker) add('(l.owner_id is null or l.owner_id = ?)', q.visibleToBroker);
    const stage = q.stage ?? q.status;
    if (stage) add('l.status = ?', stage);
    if (q.owner === 'unclaimed') add('l.owner_id is null');
    else if (q.owner === 'mine') add(q.me ? 'l.owner_id = ?' : 'false', ...(q.me ? [q.me] : []));
    else if (q.owner) add('l.owner_id = ?', q.owner);
    if (q.channel) add('l.channel = ?', q.channel);
    if (q.qualified !== undefined) add('l.qualified = ?', q.qualified);
    if (q.optedOut !== undefined) add(q.optedOut ? 'c.opted_out_at is not null' : 'c.opted_out_at is null');
    if (q.needsReply !== undefined) add(q.needsReply ? NEEDS_REPLY : `not ${NEEDS_REPLY}`);
    if (q.slaBreached !== undefined) add(q.slaBreached ? SLA_BREACHED : `not ${SLA_BREACHED}`);
    if (q.minScore !== undefined) add('l.score >= ?', q.minScore);
    if (q.source) add(`(l.source->>'source' = ? or l.source->>'source_type' = ? or coalesce(l.source->>'channel', l.channel) = ?)`, q.source, q.source, q.source);
    if (q.campaign) add(`(l.source->>'campaign_id' = ? or l.source->>'source_id' = ?)`, q.campaign, q.campaign);
    if (q.q) {
      // Two index lookups, each run once and hashed (not a probe per lead): contacts whose
      // name, e-mail or number contains the text, and leads with a message that has its words.
      const like = `%${likeEscape(q.q)}%`;
      // Digits only, without a national trunk 0: "050 111 2233" finds +971501112233.
      const digits = q.q.replace(/\D/g, '').replace(/^0+/, '');
      const phone = digits.length >= 4 ? `%${digits}%` : null;
      add(
        `(l.contact_id in (select c2.id from contacts c2 where ${CONTACT_SEARCH_TEXT} ilike ?${phone ? ` or ${CONTACT_SEARCH_TEXT} like ?` : ''})
          or l.id in (select t.lead_id from timeline_entries t where t.type = 'message'
            and to_tsvector('simple', coalesce(t.body, '')) @@ plainto_tsquery('simple', ?)))`,
        like,
        ...(phone ? [phone] : []),
        q.q,
      );
    }

    const conn = this.em.getConnection();
    const conditions = where.join(' and ');
    const from = `from leads l join contacts c on c.id = l.contact_id where ${conditions}`;
    // The count joins contacts only when a filter reads them: at 100k leads the join is most of its cost.
    const counted = await conn.execute<Array<{ total: string }>>(
      /\bc\./.test(conditions) ? `select count(*) as total ${from}` : `select count(*) as total from leads l where ${conditions}`,
      params,
    );
    const total = Number(counted[0]?.total ?? 0);

    const sort = SORTS[q.sort];
    const pageWhere: string[] = [];
    const pageParams = [...params];
    if (q.cursor) {
      const c = decodeCursor(q.cursor, q.sort);
      if (!c) return { error: 'bad_cursor' };
      pageWhere.push(`(${sort.expr}, l.id) ${sort.dir === 'desc' ? '<' : '>'} (?::${sort.cast}, ?::uuid)`);
      pageParams.push(c.v, c.id);
    }
    const rows = await conn.execute<Array<{ id: string; sort_key: string; needs_reply: boolean; opted_out: boolean; sla_breached: boolean }>>(
      `select l.id, (${sort.expr})::text as sort_key, ${NEEDS_REPLY} as needs_reply, c.opted_out_at is not null as opted_out, ${SLA_BREACHED} as sla_breached
       ${from}${pageWhere.length > 0 ? ` and ${pageWhere.join(' and ')}` : ''}
       order by ${sort.expr} ${sort.dir}, l.id ${sort.dir}
       limit ? offset ?`,
      [...pageParams, q.limit + 1, q.cursor ? 0 : q.offset],
    );
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const leads = page.length > 0 ? await this.em.find(LeadEntity, { id: { $in: page.map((r) => r.id) } }, { populate: ['contact'] }) : [];
    const byId = new Map(leads.map((l) => [l.id, l]));
    const items = page.flatMap((r) => {
      const lead = byId.get(r.id);
      return lead ? [{ lead, flags: { needsReply: r.needs_reply, optedOut: r.opted_out, slaBreached: r.sla_breached } }] : [];
    });
    const last = page.at(-1);
    return { items, total, nextCursor: more && last ? encodeCursor({ s: q.sort, v: last.sort_key, id: last.id }) : null };
  }
}
