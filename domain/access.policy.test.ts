import { describe, expect, it } from 'vitest';
import { LEAD_COMMANDS, can, canSeeLead, checkLeadCommand, type Principal } from './access.policy';

const admin: Principal = { id: 'u-admin', role: 'admin', name: 'Ada', brokerId: null };
const manager: Principal = { id: 'u-manager', role: 'manager', name: 'Mo', brokerId: null };
const james: Principal = { id: 'u-james', role: 'broker', name: 'James', brokerId: 'broker-james' };
const unlinked: Principal = { id: 'u-x', role: 'broker', name: 'X', brokerId: null };
const machine: Principal = { id: 'api-token', role: 'system', name: 'API token', brokerId: null };

const pool = { ownerId: null };
const his = { ownerId: 'broker-james' };
const hers = { ownerId: 'broker-priya' };

describe('access policy', () => {
  it('lets only admins manage users', () => {
    expect(can(admin, 'users:manage')).toBe(true);
    for (const p of [manager, james, machine]) expect(can(p, 'users:manage')).toBe(false);
  });

  it('lets only admins export and erase a person', () => {
    expect(can(admin, 'data:rights')).toBe(true);
    for (const p of [manager, james, machine]) expect(can(p, 'data:rights')).toBe(false);
  });

  it('shows managers and admins every lead, brokers the pool and their own', () => {
    for (const p of [admin, manager, machine]) for (const l of [pool, his, hers]) expect(canSeeLead(p, l)).toBe(true);
    expect(canSeeLead(james, pool)).toBe(true);
    expect(canSeeLead(james, his)).toBe(true);
    expect(canSeeLead(james, hers)).toBe(false);
    expect(canSeeLead(unlinked, pool)).toBe(false);
  });

  it('lets a broker claim for themselves only, and only an unowned or own lead', () => {
    expect(checkLeadCommand(james, 'claim', pool, { brokerId: 'broker-james' })).toBeNull();
    expect(checkLeadCommand(james, 'claim', pool)).toBeNull();
    expect(checkLeadCommand(james, 'claim', pool, { brokerId: 'broker-priya' })?.message).toMatch(/themselves/);
    expect(checkLeadCommand(james, 'claim', hers, { brokerId: 'broker-james' })?.message).toMatch(/another broker/);
  });

  it("refuses every command on another broker's lead, and all but claim on the pool", () => {
    for (const c of LEAD_COMMANDS) expect(checkLeadCommand(james, c, hers), c).not.toBeNull();
    for (const c of LEAD_COMMANDS.filter((c) => c !== 'claim')) expect(checkLeadCommand(james, c, pool), c).not.toBeNull();
  });

  it('allows a broker every command but qualify on their own lead', () => {
    for (const c of LEAD_COMMANDS) expect(checkLeadCommand(james, c, his) === null, c).toBe(c !== 'qualify');
    expect(checkLeadCommand(james, 'tasks', his, { assignee: 'broker-priya' })).not.toBeNull();
  });

  it('lets managers, admins and machine clients act on any lead (reassign, override)', () => {
    for (const p of [admin, manager, machine]) for (const c of LEAD_COMMANDS) for (const l of [pool, his, hers]) expect(checkLeadCommand(p, c, l, { brokerId: 'broker-priya' })).toBeNull();
  });

  it('refuses a broker user who is not linked to a broker', () => {
    expect(checkLeadCommand(unlinked, 'claim', pool)).not.toBeNull();
  });
});
