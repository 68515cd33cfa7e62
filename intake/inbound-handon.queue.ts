import { stableHash } from '../domain/follow-up.schedule';

// The webhook's answer does not wait on Temporal (#13): the route stores the inbound event,
// answers, and pushes a job here. Jobs with the same key (the sender) run one after another in
// arrival order, different senders side by side; a failing job is retried with a bounded,
// doubling backoff, holding its lane so a later message from the same person never overtakes
// it, and handed to `onGiveUp` (alert, event marked failed) once the attempts are spent.

export interface HandOnJob {
  /** Ordering key: jobs with the same key run in push order. */
  key: string;
  /** What the job is, for logs, metrics and the give-up record (no personal data). */
  eventId: string;
  source: string;
  run: () => Promise<void>;
}

export interface HandOnQueueOptions {
  lanes: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  onRetry?: (job: HandOnJob, err: unknown, attempt: number, delayMs: number) => void;
  onGiveUp: (job: HandOnJob, err: unknown, attempts: number) => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

export interface HandOnQueue {
  push(job: HandOnJob): void;
  /** Jobs pushed and not yet finished (the backlog). */
  pending(): number;
  /** Resolves when every job pushed so far has finished (shutdown). */
  drain(): Promise<void>;
}

/** The wait before retry `attempt` (1-based): base doubling up to the cap. */
export function handOnDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

export function createHandOnQueue(options: HandOnQueueOptions): HandOnQueue {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const tails: Promise<void>[] = Array.from({ length: Math.max(1, options.lanes) }, () => Promise.resolve());
  let pending = 0;

  async function attempt(job: HandOnJob): Promise<void> {
    for (let n = 1; ; n++) {
      try {
        await job.run();
        return;
      } catch (err) {
        if (n >= options.maxAttempts) {
          await options.onGiveUp(job, err, n).catch(() => undefined);
          return;
        }
        const delay = handOnDelayMs(n, options.baseDelayMs, options.maxDelayMs);
        options.onRetry?.(job, err, n, delay);
        await sleep(delay);
      }
    }
  }

  return {
    push(job) {
      const lane = stableHash(job.key) % tails.length;
      pending += 1;
      tails[lane] = tails[lane]!.then(() => attempt(job)).finally(() => {
        pending -= 1;
      });
    },
    pending: () => pending,
    async drain() {
      await Promise.all(tails);
    },
  };
}
