import { Migration } from '@mikro-orm/migrations';

// The daily SLA-miss digest (#15 point 6, ADR 016): a preference per user, on by default (only
// managers and admins are ever sent the digest, so a broker's value matters only once promoted),
// and one row per user and day, written before the mail goes out so a retry never mails twice.
export class Migration20261223090000 extends Migration {

  override name = 'Migration20261223090000';

  override up(): void | Promise<void> {
    this.addSql(`create table "digest_sends" ("id" uuid not null, "user_id" uuid not null, "day" date not null, "claimed_at" timestamptz not null, "sent_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "digest_sends" add constraint "digest_sends_user_day_unique" unique ("user_id", "day");`);
    this.addSql(`alter table "digest_sends" add constraint "digest_sends_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "users" add column "email_digest" boolean not null default true;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "digest_sends" cascade;`);
    this.addSql(`alter table "users" drop column "email_digest";`);
  }

}
