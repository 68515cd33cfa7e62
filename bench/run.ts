import { runExtractionBench, type BenchRow } from './extraction.bench';

// `npm run bench`: runs every benchmark and prints one table. Benchmarks live in their own
// `*.bench.ts` files exporting a function that returns rows; add new ones to this list.

const benches: Array<{ name: string; run: () => BenchRow[] | Promise<BenchRow[]> }> = [
  { name: 'extraction', run: () => runExtractionBench() },
];

const rows: BenchRow[] = [];
for (const b of benches) rows.push(...(await b.run()));
console.table(rows);
