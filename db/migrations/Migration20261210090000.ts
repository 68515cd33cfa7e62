import { Migration } from '@mikro-orm/migrations';

// Every lead understood, no lead lost (#14): media a lead sent (ids, type, hash, caption, file
// name, where the bytes are stored); the phone as given next to its E.164 form; contact
// details typed in a chat, kept apart as unverified; a link between two contacts that are one
// person; and the alert badge on the lead, with an index the alerts metric counts through.
export class Migration20261210090000 extends Migration {

  override name = 'Migration20261210090000';

  override up(): void | Promise<void> {
    this.addSql(`create table "media_files" ("id" uuid not null, "lead_id" uuid not null, "message_provider_id" varchar(255) not null, "media_id" varchar(255) not null, "kind" varchar(255) not null, "mime_type" varchar(255) null, "sha256" varchar(255) null, "caption" text null, "filename" varchar(255) null, "status" varchar(255) not null default 'pending', "size_bytes" int null, "storage_key" varchar(255) null, "error" text null, "created_at" timestamptz not null, "stored_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "media_files" add constraint "media_files_lead_media_unique" unique ("lead_id", "media_id");`);
    this.addSql(`alter table "media_files" add constraint "media_files_lead_id_foreign" foreign key ("lead_id") references "leads" ("id");`);
    this.addSql(`alter table "contacts" add "phone_raw" varchar(255) null, add "claimed_name" varchar(255) null, add "claimed_phone" varchar(255) null, add "claimed_email" varchar(255) null, add "claimed_at" timestamptz null, add "same_person_as_id" uuid null;`);
    this.addSql(`alter table "leads" add "alert_count" int not null default 0, add "last_alert_at" timestamptz null;`);
    this.addSql(`create index "timeline_entries_alert_idx" on "timeline_entries" ("created_at") where "type" = 'alert';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "timeline_entries_alert_idx";`);
    this.addSql(`alter table "leads" drop column "alert_count", drop column "last_alert_at";`);
    this.addSql(`alter table "contacts" drop column "phone_raw", drop column "claimed_name", drop column "claimed_phone", drop column "claimed_email", drop column "claimed_at", drop column "same_person_as_id";`);
    this.addSql(`drop table "media_files";`);
  }

}
