import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { bundleWorkflows } from '../temporal/bundle-workflows';
import { bundleBareWorkflow } from './load/stack';
import type { BenchRow } from './extraction.bench';

// What it costs a worker to load a workflow's modules (#13). The SDK's reusable V8 context
// evaluates the bundle once, keeps the preloaded modules, and evaluates every other module again
// for each workflow it starts or replays: each new lead, and each lead evicted from the workflow
// cache under a backlog (a CPU profile of bench:load at 10 leads/s counted about three per lead).
// This runs both bundles the same way, outside the worker (same module cache, reset between
// workflows), so the figure is free of Temporal and of the machine's other load:
// Leadline's bundle against the load benchmark's bare workflow, in the same run.

const WORKFLOWS = Number(process.env.BENCH_WORKFLOW_LOADS ?? 300);

function perWorkflowLoad(code: string, n: number): { ms: number; perWorkflow: number; shared: number } {
  const cache: Record<string, unknown> = {};
  const context = vm.createContext({ console, TextEncoder, TextDecoder, URL, URLSearchParams, AbortController, AbortSignal, setTimeout, clearTimeout, queueMicrotask });
  Object.defineProperty(context, '__webpack_module_cache__', { value: cache });
  vm.runInContext(code, context);
  vm.runInContext('__TEMPORAL__.preloadModules?.()', context);
  const shared = new Set(Object.keys(cache));
  const load = new vm.Script('__TEMPORAL__.importWorkflows()');
  const loadOne = () => {
    for (const k of Object.keys(cache)) if (!shared.has(k)) delete cache[k];
    load.runInContext(context);
  };
  loadOne();
  const perWorkflow = Object.keys(cache).length - shared.size;
  for (let i = 0; i < 20; i++) loadOne(); // warm the JIT
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) loadOne();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000 / n, perWorkflow, shared: shared.size };
}

export async function runWorkflowLoadBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leadline-wf-load-'));
  try {
    const leadline = readFileSync(await bundleWorkflows(path.join(dir, 'leadline.js')), 'utf8');
    const bare = await bundleBareWorkflow();
    const rows: BenchRow[] = [];
    // Alternate the two so a neighbour's burst hits both alike.
    const runs: Record<string, number[]> = { leadline: [], bare: [] };
    let last: Record<string, { perWorkflow: number; shared: number }> = {};
    for (let round = 0; round < 3; round++) {
      for (const [name, code] of [['leadline', leadline], ['bare', bare]] as const) {
        const r = perWorkflowLoad(code, WORKFLOWS);
        runs[name]!.push(r.ms);
        last = { ...last, [name]: r };
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const base = median(runs.bare!);
    for (const name of ['leadline', 'bare']) {
      const ms = median(runs[name]!);
      rows.push({ bundle: name, 'modules per workflow': last[name]!.perWorkflow, 'modules shared': last[name]!.shared, 'cpu ms per workflow (median of 3)': +ms.toFixed(2), 'ratio to bare': +(ms / base).toFixed(1) });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
