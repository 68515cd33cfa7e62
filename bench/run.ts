import { runExtractionBench, type BenchRow } from './extraction.bench';
import { runVectorBench } from './vector.bench';

// `npm run bench`: runs every benchmark and prints one table each. Benchmarks live in their own
// `*.bench.ts` files exporting a function that returns rows; add new ones to this list.

const benches: Array<{ name: string; run: () => BenchRow[] | Promise<BenchRow[]> }> = [
  { name: 'extraction', run: () => runExtractionBench() },
  { name: 'vector', run: () => runVectorBench() },
];

for (const b of benches) console.table(await b.run());
