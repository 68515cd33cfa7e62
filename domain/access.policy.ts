import type { Actor } from './actor.schema';

// Who may see and do what. The API enforces this on every request (hidden buttons in the web
// app are a courtesy, not the control), so the rules live here, pure and tested both ways.

export type Role = Actor['role'];
export const USER_ROLES = ['admin', 'manager', 'broker'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** The signed-in person (or machine client) a request acts for. */
export interface Principal {
  /** A user id, or `api-token` for machine clients. */
  id: string;
  role: Role;
  name: string;
  /** The broker this user works as (broker users; managers and admins may have one too). */
  brokerId: string | null;
}

/** `data:rights`: export everything held about a person, and erase it (admins only, each audited). */
export type Permission = 'users:manage' | 'data:rights' | 'leads:see-all' | 'leads:reassign' | 'qualification:override' | 'analytics:read' | 'brokers:read' | 'inventory:read';

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['users:manage', 'data:rights', 'leads:see-all', 'leads:reassign', 'qualification:override', 'analytics:read', 'brokers:read', 'inventory:read'],
  manager: ['leads:see-all', 'leads:reassign', 'qualification:override', 'analytics:read', 'brokers:read', 'inventory:read'],
  broker: ['brokers:read', 'inventory:read'],
  // Machine clients (API_TOKEN) act for the business, not for a person: everything except users.
  system: ['leads:see-all', 'leads:reassign', 'qualification:override', 'analytics:read', 'brokers:read', 'inventory:read'],
};

export function can(p: Principal, permission: Permission): boolean {
  return GRANTS[p.role].includes(permission);
}

export const LEAD_COMMANDS = ['claim', 'release', 'stage', 'qualify', 'tasks', 'complete-task', 'messages'] as const;
export type LeadCommand = (typeof LEAD_COMMANDS)[number];

export interface Denial {
  message: string;
  details: Record<string, unknown>;
}

/** What the policy needs to know about a lead: only who owns it. */
export interface LeadAccessView {
  ownerId?: string | null;
}

/**
 * Brokers see the unclaimed pool (which includes leads offered to them) and their own leads;
 * everybody else with `leads:see-all` sees every lead.
 */
export function canSeeLead(p: Principal, lead: LeadAccessView): boolean {
  if (can(p, 'leads:see-all')) return true;
  return p.role === 'broker' && p.brokerId !== null && (!lead.ownerId || lead.ownerId === p.brokerId);
}

/** Null when `p` may run `command` on `lead` with `input`; otherwise why not (a 403). */
export function checkLeadCommand(
  p: Principal,
  command: LeadCommand,
  lead: LeadAccessView,
  input: { brokerId?: string; assignee?: string | null } = {},
): Denial | null {
  if (can(p, 'leads:reassign')) return null;
  if (p.role !== 'broker' || !p.brokerId) {
    return { message: 'Only brokers, managers and admins act on leads', details: { role: p.role, command } };
  }
  const mine = lead.ownerId === p.brokerId;
  const owned = Boolean(lead.ownerId);
  if (command === 'claim') {
    if (input.brokerId !== undefined && input.brokerId !== p.brokerId) {
      return { message: 'A broker claims leads for themselves only', details: { command, brokerId: input.brokerId } };
    }
    if (owned && !mine) return { message: "This lead belongs to another broker", details: { command } };
    return null;
  }
  if (command === 'qualify') {
    return { message: 'Only managers and admins override a qualification', details: { command, role: p.role } };
  }
  if (!mine) {
    return !owned
      ? { message: 'Claim the lead before acting on it', details: { command } }
      : { message: "This lead belongs to another broker", details: { command } };
  }
  if (command === 'tasks' && input.assignee && input.assignee !== p.brokerId) {
    return { message: 'A broker assigns tasks to themselves only', details: { command, assignee: input.assignee } };
  }
  return null;
}

/** The actor recorded with a command: who, in which role, by name. */
export function actorOf(p: Principal): Actor {
  return { id: p.id.slice(0, 64), role: p.role, name: p.name.slice(0, 200) };
}
