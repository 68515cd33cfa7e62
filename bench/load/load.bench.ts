import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { barePost, drive, orderCorrelation, percentile, signedWhatsAppPost, type Target, type TurnResult } from './driver';
import { historyBreakdown } from './history.breakdown';
import { startSink } from './sink.server';
import { procStats, startStack, type Stack } from './stack';

// `npm run bench:load -- [--scenario first|conversation|burst|sustainable|nudge-storm] [--rate N]
// [--duration S] [--workers N] [--apis N] [--breakdown N] [--json]`. Each scenario runs the bare Temporal
// pipeline first and Leadline second on the same dev server, and prints every figure beside
// the baseline's with their ratio. Latencies exclude the coalesce window (set to 0 here and
// reported), so they measure the system, not a deliberate wait.

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'first' },
    rate: { type: 'string', default: '20' },
    duration: { type: 'string', default: '60' },
    workers: { type: 'string', default: '1' },
    apis: { type: 'string', default: '1' },
    storm: { type: 'string', default: '2000' },
    // How many of Leadline's lead histories to read for the per-step breakdown (0: none).
    breakdown: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
    // A directory for the workers' V8 CPU profiles (open them in Chrome DevTools).
    profile: { type: 'string' },
  },
});
const scenario = args.scenario!;
const rate = Number(args.rate);
const durationS = Number(args.duration);
const log = (m: string) => {
  if (!args.json) console.error(`[bench:load] ${m}`);
};

interface PhaseFigures {
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
}

const round2 = (n?: number) => (n === undefined ? undefined : Math.round(n * 100) / 100);

function figures(results: TurnResult[], seconds: number): PhaseFigures {
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

const TEXTS = ['Hi, 2 bed in Dubai Marina, up to 2.5M, cash', 'Ready in 3 months', 'Apartment please, sea view', 'My email is not needed, just call', 'Thanks'];

async function phase(name: string, target: Target, o: { rate: number; durationS: number; turns: number; phoneBase: number; stack: Stack; sampleHealth: boolean; pids: number[] }) {
  log(`${name}: ${o.rate} new leads/s for ${o.durationS} s, ${o.turns} turn(s) each`);
  const health: number[] = [];
  const mem: number[] = [];
  const cpu0 = o.pids.map((pid) => procStats(pid)?.cpuSeconds ?? 0);
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
      mem.push(o.pids.reduce((s, pid) => s + (procStats(pid)?.rss ?? 0), 0));
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
  const cpu = o.pids.reduce((s, pid, i) => s + (procStats(pid)?.cpuSeconds ?? 0) - cpu0[i]!, 0);
  return { ...figures(results, seconds), healthP99: percentile(health, 99), workerRssMaxMb: Math.round(Math.max(0, ...mem) / 1e6), workerCpuShare: Math.round((cpu / seconds) * 100) / 100 };
}

type Row = { metric: string; leadline?: number; baseline?: number; ratio?: number };

function compare(l: Record<string, number | undefined>, b: Record<string, number | undefined>): Row[] {
  return Object.keys(l).map((metric) => {
    const lv = l[metric];
    const bv = b[metric];
    const ratio = lv !== undefined && bv !== undefined && bv !== 0 && Number.isFinite(lv) ? Math.round((lv / bv) * 100) / 100 : undefined;
    return { metric, leadline: lv, baseline: bv, ratio };
  });
}

async function main() {
  const secret = randomBytes(16).toString('hex');
  const sink = await startSink();
  const env: Record<string, string> = { COALESCE_WINDOW_MS: '0', HANDOFF_SLA_MS: '3600000', QUIET_HOURS: '00:00-00:00', DEFAULT_TIME_ZONE: 'UTC' };
  const stack = await startStack({ sinkUrl: sink.baseUrl, appSecret: secret, env, workers: Number(args.workers), apis: Number(args.apis), ...(args.profile && { profileDir: path.resolve(args.profile) }) }, log);
  const leadline: Target = { post: signedWhatsAppPost(stack.apiUrls, secret), firstSendAfter: sink.firstSendAfter };
  const bare: Target = { post: barePost(stack.bareUrl), firstSendAfter: sink.firstSendAfter };
  const out: { scenario: string; coalesceWindowMs: number; machine: string; rows: Row[]; steps?: unknown[]; breakdown?: unknown[] } = {
    scenario,
    coalesceWindowMs: 0,
    machine: `${(await import('node:os')).cpus().length} cores, ${process.version}`,
    rows: [],
  };
  let base = 1_000_000;
  const next = () => (base += 1_000_000);
  try {
    if (scenario === 'first' || scenario === 'conversation' || scenario === 'burst') {
      const turns = scenario === 'conversation' ? 4 : 1;
      const b = await phase('baseline', bare, { rate, durationS, turns, phoneBase: next(), stack, sampleHealth: false, pids: stack.barePids });
      const l = await phase('leadline', leadline, { rate, durationS, turns, phoneBase: next(), stack, sampleHealth: true, pids: stack.workerPids });
      out.rows = compare(l, b);
      const sample = Number(args.breakdown);
      if (sample > 0) out.breakdown = await historyBreakdown(stack.temporalAddress, 'leadWorkflow', { sample, until: 'deliverReply' });
    } else if (scenario === 'sustainable') {
      const steps: Array<{ rate: number; baselineP99?: number; leadlineP99?: number; baselineLost: number; leadlineLost: number }> = [];
      for (const r of [5, 10, 15, 20, 25, 30, 40]) {
        const b = await phase(`baseline@${r}`, bare, { rate: r, durationS, turns: 1, phoneBase: next(), stack, sampleHealth: false, pids: stack.barePids });
        const l = await phase(`leadline@${r}`, leadline, { rate: r, durationS, turns: 1, phoneBase: next(), stack, sampleHealth: false, pids: stack.workerPids });
        steps.push({ rate: r, baselineP99: b.replyP99, leadlineP99: l.replyP99, baselineLost: b.lost, leadlineLost: l.lost });
        if ((b.replyP99 ?? Infinity) > 2000 && (l.replyP99 ?? Infinity) > 2000) break;
      }
      const ok = (p?: number, lost = 0) => p !== undefined && p <= 2000 && lost === 0;
      const sus = (k: 'baselineP99' | 'leadlineP99', lostK: 'baselineLost' | 'leadlineLost') => Math.max(0, ...steps.filter((s) => ok(s[k], s[lostK])).map((s) => s.rate));
      const lr = sus('leadlineP99', 'leadlineLost');
      const br = sus('baselineP99', 'baselineLost');
      out.steps = steps;
      out.rows = [{ metric: 'sustainableRate', leadline: lr, baseline: br, ratio: br ? Math.round((lr / br) * 100) / 100 : undefined }];
    } else {
      throw new Error(`unknown scenario ${scenario} (first, conversation, burst, sustainable)`);
    }
  } finally {
    await stack.stop();
    await sink.close();
  }
  if (args.json) console.log(JSON.stringify(out, null, 2));
  else {
    console.log(`scenario ${out.scenario} · ${rate} new leads/s for ${durationS} s · coalesce window ${out.coalesceWindowMs} ms (excluded) · ${out.machine}`);
    console.table(out.rows);
    if (out.steps) console.table(out.steps);
    if (out.breakdown) console.table(out.breakdown);
  }
}

await main();
process.exit(0);
