export type HealthStatus = 'ok' | 'degraded';

export interface HealthReport {
  status: HealthStatus;
  /** Each dependency: 'ok', or 'error: …' with what failed. */
  checks: Record<string, string>;
  /** When the checks ran (ISO): under `freshMs` old, or under `staleMs` while the next check runs. */
  checkedAt: string;
}

export interface HealthProbe {
  /** The latest report: fresh ones as they are, an aging one while its refresh runs, otherwise a live check. */
  report(): Promise<HealthReport>;
}

export interface HealthProbeOptions {
  /** A report younger than this is answered as it is. 0: every call checks live. */
  freshMs: number;
  /** A report younger than this is answered while a refresh runs behind it; older ones wait for the live check. */
  staleMs: number;
  /** Each check's bound: a dependency that hangs is reported as an error, not waited on. */
  timeoutMs: number;
  now?: () => number;
}

/**
 * `/healthz` under a campaign burst (#13): a load balancer polls it every few seconds and
 * restarts an instance whose answer is late, so the answer must not queue behind the burst's
 * database, Redis and Temporal calls. The checks run at most once per `freshMs` (side by side,
 * each bounded by `timeoutMs`), and a call that finds the last report aging gets it at once
 * while the next check runs: a dependency that fails shows within one poll plus `freshMs`.
 */
export function createHealthProbe(checks: Record<string, () => Promise<unknown>>, options: HealthProbeOptions): HealthProbe {
  const now = options.now ?? Date.now;
  let last: { report: HealthReport; at: number } | undefined;
  let running: Promise<HealthReport> | undefined;

  const bounded = async (fn: () => Promise<unknown>): Promise<string> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${options.timeoutMs} ms`)), options.timeoutMs);
    });
    try {
      await Promise.race([fn(), timeout]);
      return 'ok';
    } catch (err) {
      return `error: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      clearTimeout(timer);
    }
  };

  const refresh = (): Promise<HealthReport> => {
    running ??= (async () => {
      const started = now();
      const names = Object.keys(checks);
      const results = await Promise.all(names.map((name) => bounded(checks[name]!)));
      const report: HealthReport = {
        status: results.every((r) => r === 'ok') ? 'ok' : 'degraded',
        checks: Object.fromEntries(names.map((name, i) => [name, results[i]!])),
        checkedAt: new Date(started).toISOString(),
      };
      last = { report, at: started };
      return report;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    async report() {
      const age = last ? now() - last.at : Infinity;
      if (last && age < options.freshMs) return last.report;
      if (last && age < options.staleMs) {
        void refresh();
        return last.report;
      }
      return refresh();
    },
  };
}
