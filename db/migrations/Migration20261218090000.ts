import { Migration } from '@mikro-orm/migrations';

// The Lead Inbox (#15): search by name, email and phone (and what a chat lead typed) through one
// trigram index over them all (pg_trgm, so `ilike '%…%'` uses an index), by message text through a full-text index ('simple'
// configuration: no stemming, so Arabic, Hindi and English words all match as typed), and
// sorts by score and last message through indexes on the expressions the query orders by.
// Where pg_trgm cannot be created (a managed Postgres without it) the trigram indexes are
// skipped with a notice: the inbox's search predicates still answer, only without the index.
export class Migration20261218090000 extends Migration {

  override name = 'Migration20261218090000';

  override up(): void | Promise<void> {
    this.addSql(`do $$
begin
  begin
    create extension if not exists pg_trgm;
  exception when others then
    raise notice 'pg_trgm is not available (%): inbox search runs without trigram indexes', sqlerrm;
  end;
  if exists (select 1 from pg_extension where extname = 'pg_trgm') then
    create index if not exists "contacts_search_trgm_idx" on "contacts" using gin ((coalesce("name", '') || ' ' || coalesce("email", '') || ' ' || coalesce("phone", '') || ' ' || coalesce("wa_id", '') || ' ' || coalesce("claimed_name", '') || ' ' || coalesce("claimed_email", '') || ' ' || coalesce("claimed_phone", '')) gin_trgm_ops);
  end if;
end $$;`);
    this.addSql(`create index "timeline_entries_body_fts_idx" on "timeline_entries" using gin (to_tsvector('simple', coalesce("body", ''))) where "type" = 'message';`);
    this.addSql(`create index "leads_score_sort_idx" on "leads" ((coalesce("score", -1)) desc, "id" desc) where "deleted_at" is null;`);
    this.addSql(`create index "leads_last_message_sort_idx" on "leads" ((coalesce("last_message_at", "created_at")) desc, "id" desc) where "deleted_at" is null;`);
    this.addSql(`create index "leads_sla_due_idx" on "leads" ("sla_due_at") where "sla_due_at" is not null;`);
    this.addSql(`create index "leads_sla_sort_idx" on "leads" ((coalesce("sla_due_at", 'infinity'::timestamptz)), "id") where "deleted_at" is null;`);
    // "Needs reply" asks, per lead, whether a reply went out after its last message.
    this.addSql(`create index "timeline_entries_outbound_idx" on "timeline_entries" ("lead_id", "created_at") where "type" = 'message' and "direction" = 'out';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "timeline_entries_outbound_idx";`);
    this.addSql(`drop index if exists "leads_sla_sort_idx";`);
    this.addSql(`drop index if exists "leads_sla_due_idx";`);
    this.addSql(`drop index if exists "leads_last_message_sort_idx";`);
    this.addSql(`drop index if exists "leads_score_sort_idx";`);
    this.addSql(`drop index if exists "timeline_entries_body_fts_idx";`);
    this.addSql(`drop index if exists "contacts_search_trgm_idx";`);
    // The extension stays: other objects may have come to depend on it.
  }

}
