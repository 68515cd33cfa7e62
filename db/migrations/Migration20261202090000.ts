import { Migration } from '@mikro-orm/migrations';

// Data rights and web chat (#12): contacts and leads remember that they were erased; a web chat
// session keeps the phone or e-mail the visitor typed apart from its contact until it is proven;
// the suppression list holds the HMAC of an erased person's opted-out phone or e-mail.
export class Migration20261202090000 extends Migration {

  override name = 'Migration20261202090000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "contacts" add column "erased_at" timestamptz null;`);
    this.addSql(`alter table "leads" add column "erased_at" timestamptz null;`);
    this.addSql(`alter table "sessions" add column "claimed_phone" varchar(255) null, add column "claimed_email" varchar(255) null, add column "verified_at" timestamptz null;`);
    this.addSql(`create table "suppressions" ("hash" varchar(64) not null, "kind" varchar(255) not null, "created_at" timestamptz not null, constraint "suppressions_pkey" primary key ("hash"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "suppressions" cascade;`);
    this.addSql(`alter table "sessions" drop column "claimed_phone", drop column "claimed_email", drop column "verified_at";`);
    this.addSql(`alter table "leads" drop column "erased_at";`);
    this.addSql(`alter table "contacts" drop column "erased_at";`);
  }

}
