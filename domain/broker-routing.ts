// Round robin over the brokers who can take a lead now: active, not paused, and not already
// tried for this handoff. "Round robin" is kept in the data, not in a counter: the broker
// routed to longest ago (never first) is next, ties broken by id, so adding or pausing a
// broker never skips or doubles anyone.

export interface BrokerCandidate {
  id: string;
  active: boolean;
  paused: boolean;
  /** ISO time of the last lead routed to this broker; null if never. */
  lastRoutedAt: string | null;
}

export function eligibleBrokers(brokers: readonly BrokerCandidate[], exclude: readonly string[] = []): BrokerCandidate[] {
  const skip = new Set(exclude);
  return brokers.filter((b) => b.active && !b.paused && !skip.has(b.id));
}

export function pickNextBroker(brokers: readonly BrokerCandidate[], exclude: readonly string[] = []): string | null {
  const ranked = eligibleBrokers(brokers, exclude).sort((a, b) => {
    const ta = a.lastRoutedAt === null ? -Infinity : Date.parse(a.lastRoutedAt);
    const tb = b.lastRoutedAt === null ? -Infinity : Date.parse(b.lastRoutedAt);
    if (ta !== tb) return ta < tb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return ranked[0]?.id ?? null;
}
