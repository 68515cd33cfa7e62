import { Migration } from '@mikro-orm/migrations';

// Channels (#10): opt-out is the person's, not one lead's or one channel's. STOP anywhere
// stops every channel; START on SMS re-enables SMS.
export class Migration20261201100000 extends Migration {

  override name = 'Migration20261201100000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "contacts" add column "opted_out_at" timestamptz null, add column "opt_out_message_id" varchar(255) null, add column "opted_in_channels" text[] not null default '{}';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "contacts" drop column "opted_out_at", drop column "opt_out_message_id", drop column "opted_in_channels";`);
  }

}
