import { Migration } from '@mikro-orm/migrations';

// Alert e-mail preferences per user (#15 point 6): both on by default, so offers and
// escalations reach people from the first day; each user can turn them off.
export class Migration20261221090000 extends Migration {

  override name = 'Migration20261221090000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add column "email_offers" boolean not null default true, add column "email_escalations" boolean not null default true;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "users" drop column "email_offers", drop column "email_escalations";`);
  }

}
