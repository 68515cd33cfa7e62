import { Migration } from '@mikro-orm/migrations';

// Lead memory vectors on their rows (#13, ADR 019): without a vector server the embedding of
// each memory is kept beside its text instead of in the embedded index, which held every lead's
// vectors in the worker's memory for good. Rows written before stay without one and are
// embedded when their lead is next recalled.
export class Migration20261225090000 extends Migration {

  override name = 'Migration20261225090000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "lead_memories" add column "embedding" bytea null, add column "embedder" varchar(255) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "lead_memories" drop column "embedding", drop column "embedder";`);
  }

}
