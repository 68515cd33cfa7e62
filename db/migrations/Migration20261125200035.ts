import { Migration } from '@mikro-orm/migrations';

export class Migration20261125200035 extends Migration {

  override name = 'Migration20261125200035';

  override up(): void | Promise<void> {
    this.addSql(`create table "brokers" ("id" varchar(255) not null, "name" varchar(255) not null, "email" varchar(255) null, "active" boolean not null default true, "paused" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "contacts" ("id" uuid not null, "name" varchar(255) null, "phone" varchar(255) null, "email" varchar(255) null, "wa_id" varchar(255) null, "bsuid" varchar(255) null, "market" varchar(2) not null, "time_zone" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "contacts" add constraint "contacts_phone_unique" unique ("phone");`);
    this.addSql(`alter table "contacts" add constraint "contacts_email_unique" unique ("email");`);
    this.addSql(`alter table "contacts" add constraint "contacts_wa_id_unique" unique ("wa_id");`);
    this.addSql(`alter table "contacts" add constraint "contacts_bsuid_unique" unique ("bsuid");`);

    this.addSql(`create table "inbound_events" ("id" uuid not null, "source" varchar(255) not null, "received_at" timestamptz not null, "raw_body" text not null, "content_type" varchar(255) null, "signature_valid" boolean null, "status" varchar(255) not null default 'received', "error" text null, "provider_ids" text[] not null default '{}', "processed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "inbound_events_received_idx" on "inbound_events" ("received_at");`);

    this.addSql(`create table "leads" ("id" uuid not null, "contact_id" uuid not null, "channel" varchar(255) not null, "status" varchar(255) not null default 'new', "score" int null, "qualified" boolean not null default false, "owner_id" varchar(255) null, "workflow_id" varchar(255) not null, "market" varchar(2) not null, "source" jsonb null, "last_message_at" timestamptz null, "last_message_preview" varchar(255) null, "next_follow_up_at" timestamptz null, "sla_due_at" timestamptz null, "deleted_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "leads" add constraint "leads_workflow_id_unique" unique ("workflow_id");`);
    this.addSql(`create index "leads_created_at_idx" on "leads" ("created_at" desc);`);
    this.addSql(`create index "leads_status_idx" on "leads" ("status");`);

    this.addSql(`create table "activities" ("id" uuid not null, "lead_id" uuid not null, "type" varchar(255) not null, "actor" varchar(255) not null, "direction" varchar(255) null, "body" text null, "provider_id" varchar(255) null, "idempotency_key" varchar(255) null, "delivery_status" varchar(255) null, "meta" jsonb null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "activities" add constraint "activities_provider_id_unique" unique ("provider_id");`);
    this.addSql(`alter table "activities" add constraint "activities_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "activities_lead_created_idx" on "activities" ("lead_id", "created_at");`);

    this.addSql(`create table "lead_profiles" ("lead_id" uuid not null, "persona" varchar(255) null, "city" varchar(255) null, "areas" text[] not null default '{}', "property_type" varchar(255) null, "beds_min" int null, "beds_max" int null, "budget_min" bigint null, "budget_max" bigint null, "currency" varchar(3) null, "budget_period" varchar(255) null, "timeline" varchar(255) null, "finance" varchar(255) null, "contact_valid" boolean not null default false, "updated_at" timestamptz not null, primary key ("lead_id"));`);

    this.addSql(`create table "qualifications" ("id" uuid not null, "lead_id" uuid not null, "score" int not null, "qualified" boolean not null, "breakdown" jsonb not null, "reasons" jsonb not null, "source" varchar(255) not null default 'agent', "by" varchar(255) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "qualifications_score_created_idx" on "qualifications" ("score" desc, "created_at" desc);`);

    this.addSql(`create table "sessions" ("id" uuid not null, "key_hash" varchar(255) not null, "contact_id" uuid null, "lead_id" uuid null, "market" varchar(2) not null, "expires_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "sessions" add constraint "sessions_key_hash_unique" unique ("key_hash");`);

    this.addSql(`create table "tasks" ("id" varchar(255) not null, "lead_id" uuid not null, "title" varchar(255) not null, "due_at" timestamptz not null, "assignee" varchar(255) null, "completed_at" timestamptz null, "reminded_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "units" ("id" varchar(255) not null, "title" varchar(255) not null, "listing" varchar(255) not null, "city" varchar(255) not null, "area" varchar(255) not null, "location" varchar(255) not null, "property_type" varchar(255) not null, "beds" int not null, "baths" int not null, "area_m2" double precision not null, "price" bigint not null, "currency" varchar(3) not null, "rent_period" varchar(255) null, "completion" varchar(255) not null, "features" text[] not null default '{}', "description" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "units_location_idx" on "units" ("location");`);
    this.addSql(`create index "units_type_beds_idx" on "units" ("property_type", "beds");`);
    this.addSql(`create index "units_price_idx" on "units" ("price");`);
    this.addSql(`create index "units_features_gin_idx" on "units" using gin ("features");`);

    this.addSql(`alter table "leads" add constraint "leads_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id");`);

    this.addSql(`alter table "activities" add constraint "activities_lead_id_foreign" foreign key ("lead_id") references "leads" ("id");`);

    this.addSql(`alter table "lead_profiles" add constraint "lead_profiles_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "qualifications" add constraint "qualifications_lead_id_foreign" foreign key ("lead_id") references "leads" ("id");`);

    this.addSql(`alter table "sessions" add constraint "sessions_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`);
    this.addSql(`alter table "sessions" add constraint "sessions_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on delete set null;`);

    this.addSql(`alter table "tasks" add constraint "tasks_lead_id_foreign" foreign key ("lead_id") references "leads" ("id");`);
  }

}
