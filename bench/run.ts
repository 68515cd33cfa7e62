import { runCodecBench } from './codec.bench';
import { runExtractionBench, type BenchRow } from './extraction.bench';
import { runAnalyticsBench } from './analytics.bench';
import { runInboxBench } from './inbox.bench';
import { runVectorBench } from './vector.bench';
import { runWorkflowLoadBench } from './workflow-load.bench';
import { runVmEntryBench } from './vm-entry.bench';

// `npm run bench`: runs every benchmark and prints one table each. Benchmarks live in their own
// `*.bench.ts` files exporting a function that returns rows; add new ones to this list.
// `npm run bench -- codec` runs only the named ones.

const benches: Array<{ name: string; run: () => BenchRow[] | Promise<BenchRow[]> }> = [
  { name: 'extraction', run: () => runExtractionBench() },
  // Starts Postgres/Redis (reused when up), its own Temporal dev server and the fake Meta server.
  { name: 'codec', run: () => runCodecBench() },
  { name: 'vector', run: () => runVectorBench() },
  // Bundles the workflows and evaluates them as the worker does, once per workflow (no services).
  { name: 'workflow-load', run: () => runWorkflowLoadBench() },
  // One call into a workflow's V8 context, with and without the SDK's execution timeout (no services).
  { name: 'vm-entry', run: () => runVmEntryBench() },
  // Writes 100k leads (BENCH_INBOX_LEADS) into a fresh database and times GET /leads's query.
  { name: 'inbox', run: () => runInboxBench() },
  // Writes 100k leads (BENCH_ANALYTICS_LEADS) with their timelines and times GET /analytics's report.
  { name: 'analytics', run: () => runAnalyticsBench() },
];

const only = process.argv.slice(2);
for (const b of benches) if (only.length === 0 || only.includes(b.name)) console.table(await b.run());
