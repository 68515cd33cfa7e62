import { Migration } from '@mikro-orm/migrations';

// Lead memories (#16): short facts and preferences from a lead's messages, each with the
// message it came from; erased with the lead.
export class Migration20261217090000 extends Migration {

  override name = 'Migration20261217090000';

  override up(): void | Promise<void> {
    this.addSql(`create table "lead_memories" ("id" uuid not null, "lead_id" uuid not null, "kind" varchar(255) not null, "text" text not null, "message_provider_id" varchar(255) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "lead_memories_lead_created_idx" on "lead_memories" ("lead_id", "created_at");`);
    this.addSql(`alter table "lead_memories" add constraint "lead_memories_lead_message_text_unique" unique ("lead_id", "message_provider_id", "text");`);
    this.addSql(`alter table "lead_memories" add constraint "lead_memories_lead_id_foreign" foreign key ("lead_id") references "leads" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table "lead_memories";`);
  }

}
