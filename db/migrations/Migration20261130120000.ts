import { Migration } from '@mikro-orm/migrations';

// Payload encryption (#12): wrapped data keys, one live key per lead (and one "system" key).
export class Migration20261130120000 extends Migration {

  override name = 'Migration20261130120000';

  override up(): void | Promise<void> {
    this.addSql(`create table "data_keys" ("id" uuid not null, "owner" varchar(255) not null, "master_key_id" varchar(255) not null, "wrapped_key" text null, "created_at" timestamptz not null, "destroyed_at" timestamptz null, constraint "data_keys_pkey" primary key ("id"));`);
    this.addSql(`create unique index "data_keys_live_owner_uniq" on "data_keys" ("owner") where "destroyed_at" is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "data_keys" cascade;`);
  }

}
