import { isQuietAt, isValidTimeZone, parseQuietHours } from './quiet-hours';

// Round robin over the brokers who can take a lead now: active, not paused, inside their working
// hours, and not already tried for this handoff. Nobody at work: the lead goes to the unclaimed
// pool and managers are alerted, rather than waking someone at night. "Round robin" is kept in the data, not in a counter: the broker
// routed to longest ago (never first) is next, ties broken by id, so adding or pausing a
// broker never skips or doubles anyone.

export interface BrokerCandidate {
  id: string;
  active: boolean;
  paused: boolean;
  /** ISO time of the last lead routed to this broker; null if never. */
  lastRoutedAt: string | null;
  /** Local working hours (`HH:MM-HH:MM`, may wrap midnight) set by an admin; null: any time. */
  workingHours?: string | null;
  /** The broker's own time zone for those hours; the team's default when null. */
  timeZone?: string | null;
}

/** When the routing happens: a broker is offered a lead only inside their working hours. */
export interface RoutingClock {
  nowMs: number;
  defaultTimeZone: string;
}

/** Inside the broker's working hours at `clock` (no hours set: always). */
export function isAtWork(b: BrokerCandidate, clock: RoutingClock): boolean {
  if (!b.workingHours) return true;
  const zone = b.timeZone && isValidTimeZone(b.timeZone) ? b.timeZone : clock.defaultTimeZone;
  // The working window has the shape of a quiet-hours window: inside it, the broker is at work.
  return isQuietAt(clock.nowMs, zone, parseQuietHours(b.workingHours));
}

export function eligibleBrokers(brokers: readonly BrokerCandidate[], exclude: readonly string[] = [], clock?: RoutingClock): BrokerCandidate[] {
  const skip = new Set(exclude);
  return brokers.filter((b) => b.active && !b.paused && !skip.has(b.id) && (!clock || isAtWork(b, clock)));
}

export function pickNextBroker(brokers: readonly BrokerCandidate[], exclude: readonly string[] = [], clock?: RoutingClock): string | null {
  const ranked = eligibleBrokers(brokers, exclude, clock).sort((a, b) => {
    const ta = a.lastRoutedAt === null ? -Infinity : Date.parse(a.lastRoutedAt);
    const tb = b.lastRoutedAt === null ? -Infinity : Date.parse(b.lastRoutedAt);
    if (ta !== tb) return ta < tb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return ranked[0]?.id ?? null;
}
