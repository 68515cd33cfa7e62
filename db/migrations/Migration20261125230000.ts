import { Migration } from '@mikro-orm/migrations';

// Lead lifecycle (#4): round-robin routing remembers when each broker last got a lead, and
// open tasks are found by lead and due time.
export class Migration20261125230000 extends Migration {

  override name = 'Migration20261125230000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "brokers" add column "last_routed_at" timestamptz null;`);
    this.addSql(`create index "tasks_lead_due_idx" on "tasks" ("lead_id", "due_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "tasks_lead_due_idx";`);
    this.addSql(`alter table "brokers" drop column "last_routed_at";`);
  }

}
