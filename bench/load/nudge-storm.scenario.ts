import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { deferOutOfQuietHours, formatQuietHours, parseQuietHours } from '../../domain/quiet-hours';
import { leadPhone, percentile, signedWhatsAppPost, type Target } from './driver';
import { phase, type PhaseResult } from './phase.runner';
import { startSink, type Sink } from './sink.server';
import { cpuMeter, startStack, totalRss } from './stack';

// The nudge storm (#13): many follow-up nudges falling due at once while new leads arrive; the
// target is that new leads still get their first reply within 2× their normal p99. A real storm
// is the morning after quiet hours: nudges never go out inside them and are moved to their end,
// so every lead answered during the night is nudged in the same minute. The bench makes that
// night short: before the stack starts it picks the storm's minute T and runs Leadline with quiet
// hours from now to T (UTC), a first nudge one minute after our reply and no jitter. Quiet hours
// hold back nudges only (domain/lead-follow-up.commands.ts), never a reply to a lead's message.
//   phase 0  new leads at --rate for --duration s: the normal first-reply figures
//   phase 1  --storm leads opened at --open-rate, each answered: their nudges are now due at T
//   phase 2  new leads at --rate for --duration s, starting a few seconds before T
// The bare pipeline is not run: the target is relative to Leadline's own normal p99.

export interface NudgeStormOptions {
  rate: number;
  durationS: number;
  storm: number;
  openRate: number;
  workers: number;
  apis: number;
  json: boolean;
  log: (m: string) => void;
}

const MINUTE = 60_000;
/** The first cadence step: a lead answered before T − 1 min inside the window is nudged at T. */
const FIRST_NUDGE_AFTER_MS = MINUTE;
/** The minute T is picked before the stack starts: what starting it (database, bundles, processes) may take. */
const STARTUP_ALLOWANCE_MS = 60_000;
/** In the plan, after a phase's last lead, for its last replies. */
const REPLY_SETTLE_MS = 60_000;
/** Phase 2 starts this long before T, so its first leads show the minute before the storm. */
const LEAD_IN_MS = 5_000;
const PHONE_BASE = { normal: 1_000_000, storm: 2_000_000, during: 3_000_000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const utc = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** T, the first UTC minute after everything before the storm has had time to happen, and the quiet window now → T. */
export function planStorm(nowMs: number, o: Pick<NudgeStormOptions, 'durationS' | 'storm' | 'openRate'>): { stormAt: number; quietHours: string } {
  // Opening gets half as long again as its nominal time: replies lag when the open rate is near the limit.
  const openMs = (o.storm / o.openRate) * 1000 * 1.5;
  const earliest = nowMs + STARTUP_ALLOWANCE_MS + o.durationS * 1000 + REPLY_SETTLE_MS + openMs + REPLY_SETTLE_MS + FIRST_NUDGE_AFTER_MS + LEAD_IN_MS;
  const stormAt = Math.ceil(earliest / MINUTE) * MINUTE;
  if (stormAt - nowMs >= 24 * 60 * MINUTE) throw new Error('the storm leads would take a day to open: raise --open-rate or lower --storm');
  const minuteOfDay = (ms: number) => Math.floor((ms % (24 * 60 * MINUTE)) / MINUTE);
  const quietHours = formatQuietHours({ startMinute: minuteOfDay(nowMs), endMinute: minuteOfDay(stormAt) });
  // The domain's own rule must move a nudge planned inside the window to exactly T.
  const deferred = deferOutOfQuietHours(nowMs + FIRST_NUDGE_AFTER_MS, 'UTC', parseQuietHours(quietHours));
  if (deferred !== stormAt) throw new Error(`quiet hours ${quietHours} move a nudge to ${new Date(deferred).toISOString()}, not to the storm's minute`);
  return { stormAt, quietHours };
}

interface StormFigures {
  stormLeadsHeld: number;
  stormLeadsNudged: number;
  normalLeadsHeld: number;
  normalLeadsNudged: number;
  nudgeLagP50Ms?: number;
  nudgeLagP99Ms?: number;
  nudgeLagMaxMs?: number;
  drainS?: number;
  nudgesPerS?: number;
  workerRssMaxMb: number;
  workerCpuShare: number;
}

/**
 * From T until every held nudge has gone out (or a deadline): when each was sent after T, and
 * the workers' memory and CPU share meanwhile. A lead is held when its first reply left at
 * least one cadence step before T (its nudge was then planned inside the window).
 */
async function watchStorm(sink: Sink, o: { stormAt: number; storm: string[]; normal: string[]; pids: number[] }): Promise<StormFigures> {
  await sleep(o.stormAt - Date.now());
  const isHeld = (to: string) => (sink.firstSendAfter(to, 0) ?? Infinity) < o.stormAt - FIRST_NUDGE_AFTER_MS;
  const storm = o.storm.filter(isHeld);
  const normal = o.normal.filter(isHeld);
  const held = [...storm, ...normal];
  const deadline = o.stormAt + Math.max(5 * MINUTE, held.length * 200);
  const cpuShare = cpuMeter(o.pids);
  let rssMax = 0;
  const nudgedAt = (to: string) => sink.firstSendAfter(to, o.stormAt);
  while (held.some((to) => nudgedAt(to) === undefined) && Date.now() < deadline) {
    rssMax = Math.max(rssMax, totalRss(o.pids));
    await sleep(250);
  }
  const seconds = Math.max(1, Date.now() - o.stormAt) / 1000;
  const lags = held.map(nudgedAt).filter((at): at is number => at !== undefined).map((at) => at - o.stormAt);
  const all = lags.length === held.length && lags.length > 0;
  const last = lags.length ? Math.max(...lags) : undefined;
  return {
    stormLeadsHeld: storm.length,
    stormLeadsNudged: storm.filter((to) => nudgedAt(to) !== undefined).length,
    normalLeadsHeld: normal.length,
    normalLeadsNudged: normal.filter((to) => nudgedAt(to) !== undefined).length,
    nudgeLagP50Ms: percentile(lags, 50),
    nudgeLagP99Ms: percentile(lags, 99),
    nudgeLagMaxMs: last,
    // Only when every held nudge went out: otherwise the storm did not drain before the deadline.
    drainS: all ? Math.round(last! / 100) / 10 : undefined,
    nudgesPerS: all ? Math.round((lags.length / Math.max(1, last!)) * 10_000) / 10 : undefined,
    workerRssMaxMb: Math.round(rssMax / 1e6),
    workerCpuShare: cpuShare(seconds),
  };
}

const PHASE_METRICS: Array<keyof PhaseResult> = ['leads', 'lost', 'non2xx', 'ackP50', 'ackP99', 'replyP50', 'replyP95', 'replyP99', 'throughput', 'drainOrder', 'healthP99', 'workerRssMaxMb', 'workerCpuShare'];

export async function nudgeStorm(o: NudgeStormOptions): Promise<void> {
  const { stormAt, quietHours } = planStorm(Date.now(), o);
  o.log(`storm at ${utc(stormAt)} UTC: quiet hours ${quietHours} UTC, first nudge ${FIRST_NUDGE_AFTER_MS / 1000} s after the reply, jitter 0`);
  const secret = randomBytes(16).toString('hex');
  const sink = await startSink();
  const env = {
    COALESCE_WINDOW_MS: '0',
    HANDOFF_SLA_MS: '3600000',
    QUIET_HOURS: quietHours,
    DEFAULT_TIME_ZONE: 'UTC',
    // One nudge per lead in the run: the second step is a day later.
    FOLLOW_UP_CADENCE_MS: `${FIRST_NUDGE_AFTER_MS},86400000`,
    // No spread past the end of quiet hours: every held nudge is due at T itself.
    FOLLOW_UP_JITTER_MS: '0',
  };
  const stack = await startStack({ sinkUrl: sink.baseUrl, appSecret: secret, env, workers: o.workers, apis: o.apis }, o.log);
  let normal: PhaseResult, opening: PhaseResult, during: PhaseResult, storm: StormFigures;
  try {
    const target: Target = { post: signedWhatsAppPost(stack.apiUrls, secret), firstSendAfter: sink.firstSendAfter };
    const common = { turns: 1, stack, sampleHealth: true, pids: stack.workerPids, log: o.log };
    const planLeft = stormAt - Date.now();
    o.log(`stack up, ${Math.round(planLeft / 1000)} s to the storm`);
    normal = await phase('normal (phase 0)', target, { ...common, rate: o.rate, durationS: o.durationS, phoneBase: PHONE_BASE.normal });
    opening = await phase(`opening ${o.storm} storm leads (phase 1)`, target, { ...common, rate: o.openRate, durationS: o.storm / o.openRate, phoneBase: PHONE_BASE.storm });
    const wait = stormAt - LEAD_IN_MS - Date.now();
    if (wait > 0) o.log(`waiting ${Math.round(wait / 1000)} s for the storm's minute`);
    else o.log(`late by ${Math.round(-wait / 1000)} s: storm leads answered less than ${FIRST_NUDGE_AFTER_MS / 1000} s before ${utc(stormAt)} are not held`);
    await sleep(wait);
    const phones = (base: number, n: number) => Array.from({ length: n }, (_, i) => leadPhone(base, i));
    [during, storm] = await Promise.all([
      phase('during the storm (phase 2)', target, { ...common, rate: o.rate, durationS: o.durationS, phoneBase: PHONE_BASE.during }),
      watchStorm(sink, { stormAt, storm: phones(PHONE_BASE.storm, o.storm), normal: phones(PHONE_BASE.normal, normal.leads), pids: stack.workerPids }),
    ]);
  } finally {
    await stack.stop();
    await sink.close();
  }
  const ratio = (a?: number, b?: number) => (a !== undefined && b ? Math.round((a / b) * 100) / 100 : undefined);
  const rows = PHASE_METRICS.map((metric) => ({ metric, normal: normal[metric], opening: opening[metric], storm: during[metric], ratio: ratio(during[metric], normal[metric]) }));
  const p99Ratio = ratio(during.replyP99, normal.replyP99);
  const out = {
    scenario: 'nudge-storm',
    coalesceWindowMs: 0,
    machine: `${os.cpus().length} cores, ${process.version}`,
    rate: o.rate,
    durationS: o.durationS,
    storm: o.storm,
    openRate: o.openRate,
    stormAt: new Date(stormAt).toISOString(),
    quietHoursUtc: quietHours,
    firstNudgeAfterMs: FIRST_NUDGE_AFTER_MS,
    jitterMs: 0,
    baseline: 'not run: the target is relative to Leadline’s own normal p99',
    rows,
    nudges: storm,
    target: { replyP99Ratio: p99Ratio, max: 2, met: p99Ratio !== undefined && p99Ratio <= 2 },
  };
  if (o.json) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  console.log(
    `scenario nudge-storm · ${o.rate} new leads/s for ${o.durationS} s before and across the storm · ${o.storm} storm leads opened at ${o.openRate}/s · ` +
      `storm at ${utc(stormAt)} UTC (quiet hours ${quietHours} UTC, first nudge ${FIRST_NUDGE_AFTER_MS / 1000} s after the reply, jitter 0 ms) · coalesce window 0 ms (excluded) · ${out.machine}`,
  );
  console.log(`baseline ${out.baseline}; ratio = storm / normal`);
  console.table(rows);
  console.table(storm);
  console.log(`target: first-reply p99 during the storm ≤ 2× normal: ${p99Ratio ?? 'n/a'}× → ${out.target.met ? 'met' : 'not met'}`);
}
