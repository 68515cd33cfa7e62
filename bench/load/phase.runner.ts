import { drive, orderCorrelation, percentile, type Target, type TurnResult } from './driver';
import { cpuMeter, totalRss, type Stack } from './stack';

// One phase of the load bench: new leads at a fixed rate for a while, each with its turns,
// summarised as latency percentiles, losses and what the measured processes used meanwhile.

// Types, not interfaces: load.bench.ts reads them as records of numbers.
export type PhaseFigures = {
  leads: number;
  turns: number;
  lost: number;
  ackP50?: number;
  ackP99?: number;
  replyP50?: number;
  replyP95?: number;
  replyP99?: number;
  laterTurnP50?: number;
  throughput: number;
  non2xx: number;
  drainOrder?: number;
};

export type PhaseResult = PhaseFigures & {
  healthP99?: number;
  workerRssMaxMb: number;
  workerCpuShare: number;
};

export interface PhaseOptions {
  rate: number;
  durationS: number;
  turns: number;
  phoneBase: number;
  stack: Stack;
  sampleHealth: boolean;
  /** The processes whose memory (summed) and CPU share are reported. */
  pids: number[];
  log: (m: string) => void;
}

const round2 = (n?: number) => (n === undefined ? undefined : Math.round(n * 100) / 100);

export function figures(results: TurnResult[], seconds: number): PhaseFigures {
  const first = results.filter((r) => r.turn === 0);
  const later = results.filter((r) => r.turn > 0 && r.replyMs !== undefined).map((r) => r.replyMs!);
  const replies = first.filter((r) => r.replyMs !== undefined).map((r) => r.replyMs!);
  const acks = results.map((r) => r.ackMs);
  return {
    leads: first.length,
    turns: results.length,
    lost: results.filter((r) => r.replyMs === undefined).length,
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
    replyP50: percentile(replies, 50),
    replyP95: percentile(replies, 95),
    replyP99: percentile(replies, 99),
    laterTurnP50: percentile(later, 50),
    throughput: Math.round((results.filter((r) => r.replyMs !== undefined).length / seconds) * 10) / 10,
    non2xx: results.filter((r) => r.ackStatus < 200 || r.ackStatus >= 300).length,
    drainOrder: round2(orderCorrelation(results)),
  };
}

export const TEXTS = ['Hi, 2 bed in Dubai Marina, up to 2.5M, cash', 'Ready in 3 months', 'Apartment please, sea view', 'My email is not needed, just call', 'Thanks'];

export async function phase(name: string, target: Target, o: PhaseOptions): Promise<PhaseResult> {
  o.log(`${name}: ${o.rate} new leads/s for ${o.durationS} s, ${o.turns} turn(s) each`);
  const health: number[] = [];
  const mem: number[] = [];
  const cpuShare = cpuMeter(o.pids);
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      if (o.sampleHealth) {
        const t = Date.now();
        try {
          await (await fetch(`${o.stack.apiUrls[0]}/healthz`)).arrayBuffer();
          health.push(Date.now() - t);
        } catch {
          health.push(Number.POSITIVE_INFINITY);
        }
      }
      mem.push(totalRss(o.pids));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const t0 = Date.now();
  const results = await drive(target, {
    rate: o.rate,
    durationS: o.durationS,
    turns: () => o.turns,
    thinkMs: 300,
    replyTimeoutMs: 120_000,
    phoneBase: o.phoneBase,
    text: (_lead, turn) => TEXTS[turn % TEXTS.length]!,
  });
  const seconds = (Date.now() - t0) / 1000;
  sampling = false;
  await sampler;
  return { ...figures(results, seconds), healthP99: percentile(health, 99), workerRssMaxMb: Math.round(Math.max(0, ...mem) / 1e6), workerCpuShare: cpuShare(seconds) };
}
