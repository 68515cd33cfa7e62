import { Seeder } from '@mikro-orm/seeder';
import type { EntityManager } from '@mikro-orm/core';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Unit } from '../../domain/profile.schema';
import { BrokerEntity, UnitEntity } from '../entities';
import { withPlausibleFeatures } from './unit-features.seeder';

const here = path.dirname(fileURLToPath(import.meta.url));
export const inventoryFile = path.join(here, '..', 'seeds', 'inventory.json');

// Sample brokers with made-up names and example.com addresses: routing needs someone to
// hand leads to on a fresh install.
export const SEED_BROKERS = [
  { id: 'broker-amina', name: 'Amina Haddad', email: 'amina@example.com' },
  { id: 'broker-james', name: 'James Okafor', email: 'james@example.com' },
  { id: 'broker-priya', name: 'Priya Raman', email: 'priya@example.com' },
];

/** The sample stock, its features made plausible per area (db/seeds/inventory.json holds the same, see its unit test). */
export function loadInventory(file = inventoryFile): Unit[] {
  return z.array(Unit).parse(JSON.parse(readFileSync(file, 'utf8'))).map(withPlausibleFeatures);
}

/** Idempotent: units and brokers are upserted by id, so re-running keeps data consistent. */
export class DatabaseSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const units = loadInventory();
    for (const u of units) {
      await em.upsert(UnitEntity, {
        ...u,
        rentPeriod: u.rentPeriod ?? null,
        location: `${u.area}, ${u.city}`,
      });
    }
    for (const b of SEED_BROKERS) {
      await em.upsert(BrokerEntity, { ...b, active: true, paused: false });
    }
    await em.flush();
  }
}
