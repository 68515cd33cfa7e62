import { Migration } from '@mikro-orm/migrations';

// Channels (#7): the WhatsApp business number a lead wrote to, so replies leave from the same one.
export class Migration20261125220000 extends Migration {

  override name = 'Migration20261125220000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "leads" add column "wa_phone_number_id" varchar(255) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "leads" drop column "wa_phone_number_id";`);
  }

}
