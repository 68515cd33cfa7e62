import { Migration } from '@mikro-orm/migrations';

// The alert e-mails' outbox (#13): an offer, a missed claim or the unclaimed pool is written to
// the timeline with its mail queued beside it, and the worker sends the mail afterwards, so the
// handoff's timeline entry no longer waits on an SMTP relay and can run inside the workflow task.
export class Migration20261226090000 extends Migration {

  override name = 'Migration20261226090000';

  override up(): void | Promise<void> {
    this.addSql(`create table "alert_mails" ("id" uuid not null, "lead_id" uuid not null, "kind" varchar(255) not null, "broker_id" varchar(255) null, "meta" jsonb not null, "status" varchar(255) not null default 'queued', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "last_error" varchar(255) null, "created_at" timestamptz not null, "settled_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "alert_mails_due_idx" on "alert_mails" ("next_attempt_at") where "status" = 'queued';`);
    this.addSql(`alter table "alert_mails" add constraint "alert_mails_lead_id_foreign" foreign key ("lead_id") references "leads" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "alert_mails" cascade;`);
  }

}
