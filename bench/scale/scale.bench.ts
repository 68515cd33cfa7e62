import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { drive, leadPhone, percentile, signedWhatsAppPost } from '../load/driver';
import { startSink } from '../load/sink.server';
import { startStack, totalRss } from '../load/stack';
import { WORKER_HEAP_MB } from '../../temporal/worker.options';

// `npm run bench:scale -- --leads N [--rate R] [--cache C] [--worker-heap-mb M] [--json]` (#13,
// docs/scale.md): opens N leads
// through signed webhooks at R per second on one fresh dev server, each left open with a live
// follow-up timer, then measures the start rate, the worker's memory with N open leads, the
// inbox API (GET /leads with a filter) at that size, and the timer lag when all N first nudges
// fall due within the same minute (cadence 60 s, quiet hours off). Bounded: N ≤ 100,000, and
// every wait has a deadline. --cache sets TEMPORAL_MAX_CACHED_WORKFLOWS and --worker-heap-mb caps
// each V8 heap of the worker (`--max-old-space-size`; default the product's WORKER_HEAP_MB, 0 uncapped):
// the two knobs of its memory.

const { values: args } = parseArgs({
  options: {
    leads: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
    cache: { type: 'string' },
    'worker-heap-mb': { type: 'string' },
  },
});
const leads = Math.min(100_000, Math.max(10, Number(args.leads)));
const rate = Math.max(1, Number(args.rate));
const cache = args.cache === undefined ? undefined : Math.max(1, Number(args.cache));
// 0 runs the worker uncapped; unset, it gets the product's cap (WORKER_HEAP_MB).
const workerHeapMb = args['worker-heap-mb'] === undefined ? undefined : Number(args['worker-heap-mb']) === 0 ? 0 : Math.max(128, Number(args['worker-heap-mb']));
const log = (m: string) => {
  if (!args.json) console.error(`[bench:scale] ${m}`);
};
const NUDGE_AFTER_MS = 60_000;
const PHONE_BASE = 10_000_000;
const MB = 1024 * 1024;

const sink = await startSink();
const secret = randomBytes(16).toString('hex');
const apiToken = randomBytes(24).toString('hex');
const stack = await startStack(
  {
    sinkUrl: sink.baseUrl,
    appSecret: secret,
    env: {
      COALESCE_WINDOW_MS: '0',
      HANDOFF_SLA_MS: '86400000',
      QUIET_HOURS: '00:00-00:00',
      DEFAULT_TIME_ZONE: 'UTC',
      FOLLOW_UP_CADENCE_MS: `${NUDGE_AFTER_MS},86400000`,
      API_TOKEN: apiToken,
      ...(cache !== undefined && { TEMPORAL_MAX_CACHED_WORKFLOWS: String(cache) }),
    },
    ...(workerHeapMb !== undefined && { workerHeapMb }),
  },
  log,
);
const worker = stack.workerPids[0]!;
try {
  log(`opening ${leads} leads at ${rate}/s`);
  const started = Date.now();
  const results = await drive(
    { post: signedWhatsAppPost(stack.apiUrls, secret), firstSendAfter: (to, after) => sink.firstSendAfter(to, after) },
    { rate, durationS: leads / rate, turns: () => 1, thinkMs: 0, replyTimeoutMs: 120_000, phoneBase: PHONE_BASE, text: () => 'Hi, 2 bed in Dubai Marina, up to 2.5M' },
  );
  const openSeconds = (Date.now() - started) / 1000;
  const answered = results.filter((r) => r.replyMs !== undefined);
  const replies = answered.map((r) => r.replyMs!);
  const rssAfterOpen = totalRss([worker]);

  // Inbox API at this size: the broker list with a filter, as the web app asks for it.
  const inbox: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = Date.now();
    const res = await fetch(`${stack.apiUrls[0]}/leads?status=${i % 2 ? 'engaged' : 'new'}&limit=50&offset=${(i % 5) * 50}`, { headers: { authorization: `Bearer ${apiToken}` } });
    await res.arrayBuffer();
    if (res.ok) inbox.push(Date.now() - t);
  }

  // The first nudges: each lead's comes NUDGE_AFTER_MS after its reply (plus its jitter).
  const replyAt = new Map(answered.map((r) => [leadPhone(PHONE_BASE, r.lead), r.postedAt + r.replyMs!]));
  const deadline = Date.now() + NUDGE_AFTER_MS + 15 * 60_000;
  const lags = (): number[] => {
    const out: number[] = [];
    for (const [to, at] of replyAt) {
      const nudge = sink.firstSendAfter(to, at + 1000);
      if (nudge !== undefined) out.push(nudge - at - NUDGE_AFTER_MS);
    }
    return out;
  };
  let peakRss = rssAfterOpen;
  while (lags().length < replyAt.size && Date.now() < deadline) {
    peakRss = Math.max(peakRss, totalRss([worker]));
    await new Promise((r) => setTimeout(r, 1000));
  }
  const lag = lags();
  const report = {
    machine: { cores: (await import('node:os')).cpus().length, load: (await import('node:os')).loadavg().map((l) => Math.round(l * 10) / 10) },
    leads,
    rate,
    workflowCache: cache ?? 'default',
    workerHeapMb: workerHeapMb ?? WORKER_HEAP_MB,
    opened: answered.length,
    startRatePerS: Math.round((answered.length / openSeconds) * 10) / 10,
    replyP50Ms: percentile(replies, 50),
    replyP99Ms: percentile(replies, 99),
    workerRssMbAfterOpen: Math.round(rssAfterOpen / MB),
    workerRssMbPeak: Math.round(peakRss / MB),
    inboxP50Ms: percentile(inbox, 50),
    inboxP99Ms: percentile(inbox, 99),
    nudges: lag.length,
    nudgeLagP50Ms: percentile(lag, 50),
    nudgeLagP99Ms: percentile(lag, 99),
    nudgeLagMaxMs: lag.length ? Math.max(...lag) : undefined,
  };
  if (args.json) console.log(JSON.stringify(report));
  else console.table(report);
} finally {
  await stack.stop();
  await sink.close();
}
