import { Migration } from '@mikro-orm/migrations';

// Hot queries checked with EXPLAIN at 100k leads (#13, docs/scale.md): the open lead of a
// contact (every inbound message) and a lead's latest qualification were sequential scans
// (52 ms and 24 ms); with these they are index scans under 1 ms.
export class Migration20261220090000 extends Migration {

  override name = 'Migration20261220090000';

  override up(): void | Promise<void> {
    this.addSql(`create index "leads_contact_created_idx" on "leads" ("contact_id", "created_at" desc);`);
    this.addSql(`create index "qualifications_lead_created_idx" on "qualifications" ("lead_id", "created_at" desc);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "qualifications_lead_created_idx";`);
    this.addSql(`drop index "leads_contact_created_idx";`);
  }

}
