import { Migration } from '@mikro-orm/migrations';

// Sign-in (#11): users (linked to brokers), server-side sessions, one-time links for
// invitations and password resets, and the audit log of who did what.
export class Migration20261201090000 extends Migration {

  override name = 'Migration20261201090000';

  override up(): void | Promise<void> {
    this.addSql(`create table "users" ("id" uuid not null, "email" varchar(255) not null, "name" varchar(255) not null, "role" varchar(255) not null, "broker_id" varchar(255) null, "password_hash" text null, "active" boolean not null default true, "time_zone" varchar(255) null, "working_hours" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "users_pkey" primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`alter table "users" add constraint "users_broker_id_unique" unique ("broker_id");`);
    this.addSql(`alter table "users" add constraint "users_broker_id_foreign" foreign key ("broker_id") references "brokers" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "users" add constraint "users_role_check" check ("role" in ('admin', 'manager', 'broker'));`);

    this.addSql(`create table "user_sessions" ("id" uuid not null, "user_id" uuid not null, "token_hash" varchar(255) not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "created_at" timestamptz not null, constraint "user_sessions_pkey" primary key ("id"));`);
    this.addSql(`alter table "user_sessions" add constraint "user_sessions_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "user_sessions_user_idx" on "user_sessions" ("user_id");`);
    this.addSql(`alter table "user_sessions" add constraint "user_sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "user_tokens" ("id" uuid not null, "user_id" uuid not null, "purpose" varchar(255) not null, "token_hash" varchar(255) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, constraint "user_tokens_pkey" primary key ("id"));`);
    this.addSql(`alter table "user_tokens" add constraint "user_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "user_tokens" add constraint "user_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "audit_log" ("id" uuid not null, "actor_id" varchar(255) not null, "actor_role" varchar(255) not null, "action" varchar(255) not null, "lead_id" uuid null, "details" jsonb not null, "at" timestamptz not null, constraint "audit_log_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_log_lead_at_idx" on "audit_log" ("lead_id", "at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_log" cascade;`);
    this.addSql(`drop table if exists "user_tokens" cascade;`);
    this.addSql(`drop table if exists "user_sessions" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
  }

}
