import type { EntityManager } from '@mikro-orm/postgresql';

// The suppression list (entities.ts SuppressionEntity): HMACs only, never a number or address.
export class SuppressionRepository {
  constructor(private readonly em: EntityManager) {}

  async add(entries: Array<{ hash: string; kind: string }>): Promise<void> {
    for (const e of entries) {
      await this.em.getConnection().execute(`insert into suppressions (hash, kind, created_at) values (?, ?, now()) on conflict (hash) do nothing`, [e.hash, e.kind]);
    }
  }

  async anyOf(hashes: string[]): Promise<boolean> {
    if (hashes.length === 0) return false;
    const rows = await this.em.getConnection().execute<{ hash: string }[]>(`select hash from suppressions where hash in (${hashes.map(() => '?').join(', ')}) limit 1`, hashes);
    return rows.length > 0;
  }
}
