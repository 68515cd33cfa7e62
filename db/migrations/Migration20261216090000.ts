import { Migration } from '@mikro-orm/migrations';

// The language a person writes in (#14): detected from their own messages by the agent turn,
// kept on the contact so replies and brokers follow it.
export class Migration20261216090000 extends Migration {

  override name = 'Migration20261216090000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "contacts" add "language" varchar(16) null, add "language_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "contacts" drop column "language", drop column "language_at";`);
  }

}
