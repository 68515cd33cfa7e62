import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { dropDatabase, ensurePostgres } from '../scripts/services';
import { createOrm, type Orm } from './orm';

// The timeline table was renamed from "activities": rows written before the rename must
// survive it, and the migrated schema must be exactly what the entities describe.
const BEFORE_RENAME = 'Migration20261125230000';
const RENAME = 'Migration20261126090000';

describe('timeline_entries migration', () => {
  let url: string;
  let orm: Orm;
  const sql = <T>(query: string, params: unknown[] = []) => orm.em.fork().getConnection().execute<T[]>(query, params);
  const tables = async () =>
    (await sql<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'public' and table_name in ('activities', 'timeline_entries')`)).map((r) => r.table_name);

  beforeAll(async () => {
    const u = new URL(inject('databaseUrl'));
    u.pathname = `/leadline_migration_${randomBytes(4).toString('hex')}`;
    url = u.toString();
    await ensurePostgres(url, () => {});
    orm = await createOrm(url);
  });
  afterAll(async () => {
    await orm?.close();
    if (url) await dropDatabase(url);
  });

  it('renames the table with its rows, constraints and index, and back', async () => {
    await orm.migrator.up({ to: BEFORE_RENAME });
    const contactId = randomUUID();
    const leadId = randomUUID();
    const entryId = randomUUID();
    await sql(`insert into contacts (id, market, created_at, updated_at) values (?, 'AE', now(), now())`, [contactId]);
    await sql(
      `insert into leads (id, contact_id, channel, workflow_id, market, created_at, updated_at) values (?, ?, 'web', ?, 'AE', now(), now())`,
      [leadId, contactId, `lead-${leadId}`],
    );
    await sql(
      `insert into activities (id, lead_id, type, actor, direction, body, provider_id, idempotency_key, created_at) values (?, ?, 'message', 'lead', 'in', 'hello', 'p-1', 'k-1', now())`,
      [entryId, leadId],
    );

    await orm.migrator.up({ to: RENAME });
    expect(await tables()).toEqual(['timeline_entries']);
    expect(await sql(`select id, body, provider_id from timeline_entries`)).toEqual([{ id: entryId, body: 'hello', provider_id: 'p-1' }]);
    const constraints = (await sql<{ conname: string }>(`select conname from pg_constraint where conrelid = 'timeline_entries'::regclass order by conname`)).map((r) => r.conname);
    expect(constraints).toEqual([
      'timeline_entries_idempotency_key_unique',
      'timeline_entries_lead_id_foreign',
      'timeline_entries_pkey',
      'timeline_entries_provider_id_unique',
    ]);
    const indexes = (await sql<{ indexname: string }>(`select indexname from pg_indexes where tablename = 'timeline_entries' order by indexname`)).map((r) => r.indexname);
    expect(indexes).toEqual(['timeline_entries_idempotency_key_unique', 'timeline_entries_lead_created_idx', 'timeline_entries_pkey', 'timeline_entries_provider_id_unique']);
    // The unique keys still hold after the rename: a provider id is written once.
    await expect(
      sql(`insert into timeline_entries (id, lead_id, type, actor, provider_id, created_at) values (?, ?, 'message', 'lead', 'p-1', now())`, [randomUUID(), leadId]),
    ).rejects.toThrow(/timeline_entries_provider_id_unique/);

    await orm.migrator.down();
    expect(await tables()).toEqual(['activities']);
    expect(await sql(`select id from activities`)).toEqual([{ id: entryId }]);
  });

  it('leaves nothing between the entities and the migrated database', async () => {
    await orm.migrator.up();
    expect((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
  });
});
