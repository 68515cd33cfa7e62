import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { barePost, signedWhatsAppPost, type Target } from './driver';
import { historyBreakdown } from './history.breakdown';
import { nudgeStorm } from './nudge-storm.scenario';
import { phase } from './phase.runner';
import { startSink } from './sink.server';
import { startStack } from './stack';

// `npm run bench:load -- [--scenario first|conversation|burst|sustainable|nudge-storm] [--rate N]
// [--duration S] [--workers N] [--apis N] [--breakdown N] [--storm N --open-rate N] [--env K=V] [--json]`. Each
// scenario runs the bare Temporal pipeline first and Leadline second on the same dev server, and
// prints every figure beside the baseline's with their ratio. Latencies exclude the coalesce
// window (set to 0 here and reported), so they measure the system, not a deliberate wait.
// nudge-storm (nudge-storm.scenario.ts) compares Leadline with itself instead: first replies
// before and during N follow-up nudges falling due at once.

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'first' },
    rate: { type: 'string', default: '20' },
    duration: { type: 'string', default: '60' },
    workers: { type: 'string', default: '1' },
    apis: { type: 'string', default: '1' },
    // nudge-storm: leads whose first nudges fall due together, opened at this many per second.
    storm: { type: 'string', default: '2000' },
    'open-rate': { type: 'string', default: '15' },
    // How many of Leadline's lead histories to read for the per-step breakdown (0: none).
    breakdown: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
    // A directory for the workers' V8 CPU profiles (open them in Chrome DevTools).
    profile: { type: 'string' },
    // KEY=VALUE for Leadline's processes, repeatable: a knob under load (TEMPORAL_MAX_CACHED_WORKFLOWS=400).
    env: { type: 'string', multiple: true, default: [] },
  },
});
const scenario = args.scenario!;
const rate = Number(args.rate);
const durationS = Number(args.duration);
const log = (m: string) => {
  if (!args.json) console.error(`[bench:load] ${m}`);
};

function knobs(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--env takes KEY=VALUE, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
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
  if (scenario === 'nudge-storm') {
    await nudgeStorm({ rate, durationS, storm: Number(args.storm), openRate: Number(args['open-rate']), workers: Number(args.workers), apis: Number(args.apis), json: args.json!, log });
    return;
  }
  const secret = randomBytes(16).toString('hex');
  const sink = await startSink();
  const env: Record<string, string> = { COALESCE_WINDOW_MS: '0', HANDOFF_SLA_MS: '3600000', QUIET_HOURS: '00:00-00:00', DEFAULT_TIME_ZONE: 'UTC', ...knobs(args.env ?? []) };
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
      const b = await phase('baseline', bare, { rate, durationS, turns, phoneBase: next(), stack, sampleHealth: false, pids: stack.barePids, log });
      const l = await phase('leadline', leadline, { rate, durationS, turns, phoneBase: next(), stack, sampleHealth: true, pids: stack.workerPids, log });
      out.rows = compare(l, b);
      const sample = Number(args.breakdown);
      // the agent turn sends the first reply itself (lead-reply-in-turn-v1): the steps up to its completion
      if (sample > 0) out.breakdown = await historyBreakdown(stack.temporalAddress, 'leadWorkflow', { sample, until: 'agentTurn' });
    } else if (scenario === 'sustainable') {
      const steps: Array<{ rate: number; baselineP99?: number; leadlineP99?: number; baselineLost: number; leadlineLost: number }> = [];
      for (const r of [5, 10, 15, 20, 25, 30, 40]) {
        const b = await phase(`baseline@${r}`, bare, { rate: r, durationS, turns: 1, phoneBase: next(), stack, sampleHealth: false, pids: stack.barePids, log });
        const l = await phase(`leadline@${r}`, leadline, { rate: r, durationS, turns: 1, phoneBase: next(), stack, sampleHealth: false, pids: stack.workerPids, log });
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
      throw new Error(`unknown scenario ${scenario} (first, conversation, burst, sustainable, nudge-storm)`);
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
