import { createContext, Script } from 'node:vm';
import type { BenchRow } from './extraction.bench';

// What one entry into a workflow's V8 context costs the worker's workflow thread. The SDK enters
// the context several times per activation (activate, unblock conditions, conclude) and always
// with its `isolateExecutionTimeout` (5 s by default, no way to leave it out), and Node spawns a
// watchdog thread for every call that has a timeout (nodejs/node#47739). Baseline: the same call
// without a timeout, in the same run. A first message costs about 25 entries (counted with the
// load bench, docs/scale.md), a bare pipeline's lead 6.

const CALLS = 20_000;
const ENTRIES_PER_FIRST_MESSAGE = 25;

function cpuMicrosPerCall(options: { timeout?: number }): number {
  const context = createContext({ n: 0 });
  const script = new Script('n++');
  for (let i = 0; i < 1_000; i++) script.runInContext(context, options);
  const before = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) script.runInContext(context, options);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
}

export function runVmEntryBench(): BenchRow[] {
  const rows: BenchRow[] = [];
  // Twice each, interleaved, so a noisy neighbour shows as a spread rather than as a ratio.
  for (const round of [1, 2]) {
    const baseline = cpuMicrosPerCall({});
    const sdk = cpuMicrosPerCall({ timeout: 5_000 });
    rows.push({
      round,
      'no timeout (baseline) µs': +baseline.toFixed(1),
      "SDK's 5 s timeout µs": +sdk.toFixed(1),
      ratio: +(sdk / baseline).toFixed(0),
      'a first message (25 entries) ms': +((sdk * ENTRIES_PER_FIRST_MESSAGE) / 1000).toFixed(2),
    });
  }
  return rows;
}
