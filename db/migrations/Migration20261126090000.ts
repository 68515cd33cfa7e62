import { Migration } from '@mikro-orm/migrations';

// The lead's timeline was stored as "activities", a word Temporal already uses for side
// effects. A rename in place keeps every row; the constraint and index names follow the table
// so the entity metadata (MikroORM's default names) matches the database again. Renaming a
// unique or primary key constraint renames its index too.
export class Migration20261126090000 extends Migration {

  override name = 'Migration20261126090000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "activities" rename to "timeline_entries";`);
    this.addSql(`alter table "timeline_entries" rename constraint "activities_pkey" to "timeline_entries_pkey";`);
    this.addSql(`alter table "timeline_entries" rename constraint "activities_provider_id_unique" to "timeline_entries_provider_id_unique";`);
    this.addSql(`alter table "timeline_entries" rename constraint "activities_idempotency_key_unique" to "timeline_entries_idempotency_key_unique";`);
    this.addSql(`alter table "timeline_entries" rename constraint "activities_lead_id_foreign" to "timeline_entries_lead_id_foreign";`);
    this.addSql(`alter index "activities_lead_created_idx" rename to "timeline_entries_lead_created_idx";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter index "timeline_entries_lead_created_idx" rename to "activities_lead_created_idx";`);
    this.addSql(`alter table "timeline_entries" rename constraint "timeline_entries_lead_id_foreign" to "activities_lead_id_foreign";`);
    this.addSql(`alter table "timeline_entries" rename constraint "timeline_entries_idempotency_key_unique" to "activities_idempotency_key_unique";`);
    this.addSql(`alter table "timeline_entries" rename constraint "timeline_entries_provider_id_unique" to "activities_provider_id_unique";`);
    this.addSql(`alter table "timeline_entries" rename constraint "timeline_entries_pkey" to "activities_pkey";`);
    this.addSql(`alter table "timeline_entries" rename to "activities";`);
  }

}
