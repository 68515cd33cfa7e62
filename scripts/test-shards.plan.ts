import { existsSync, globSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import config from '../vitest.config';
import { repoRoot } from '../lib/paths';

// Which files each shard of a suite runs. vitest's own --shard splits by file count, and
// integration shard 1 ran 390 s of tests against shard 2's 295 (CI: 826 against 709 s), the
// long pole of a CI that has to stay under 20 minutes. Here the files go to shards by their
// last recorded duration, longest first, each to the shard with the least so far.

export const DURATIONS_FILE = `${repoRoot}/test/suite-durations.json`;
const Durations = z.record(z.string(), z.number().nonnegative());
export type Durations = z.infer<typeof Durations>;

/** Longest first, each to the lightest shard; a file never timed weighs the median. */
export function planShards(files: string[], durations: Durations, shards: number): string[][] {
  const known = files.map((f) => durations[f]).filter((d): d is number => d !== undefined).sort((a, b) => a - b);
  const fallback = known[Math.floor(known.length / 2)] ?? 1;
  const weight = (f: string) => durations[f] ?? fallback;
  const plan = Array.from({ length: shards }, () => ({ files: [] as string[], total: 0 }));
  for (const file of [...files].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))) {
    const lightest = plan.reduce((min, s) => (s.total < min.total ? s : min));
    lightest.files.push(file);
    lightest.total += weight(file);
  }
  return plan.map((s) => s.files.sort()).filter((s) => s.length > 0);
}

/** The files of a vitest project, from the include globs of vitest.config.ts. */
export function projectFiles(project: string): string[] {
  const projects = config.test?.projects ?? [];
  const found = projects.find((p) => typeof p === 'object' && 'test' in p && p.test?.name === project);
  const include = found && typeof found === 'object' && 'test' in found ? (found.test?.include ?? []) : [];
  if (include.length === 0) throw new Error(`no include globs for the vitest project ${project}`);
  return [...new Set(include.flatMap((g) => globSync(g, { cwd: repoRoot })))].sort();
}

/** No file yet plans by file count alone; a broken one says so and is planned around, not fatal. */
export function readDurations(): Durations {
  if (!existsSync(DURATIONS_FILE)) return {};
  try {
    return Durations.parse(JSON.parse(readFileSync(DURATIONS_FILE, 'utf8')));
  } catch (error) {
    console.warn(`[test] ${DURATIONS_FILE} is not a map of file to milliseconds, so shards are planned without it: ${String(error).slice(0, 200)}`);
    return {};
  }
}

/** vitest's line for a finished file: "✓  integration  test/integration/x.test.ts (8 tests) 54851ms". */
export function durationOf(line: string): [string, number] | undefined {
  const m = /\s(\S+\.test\.tsx?) \(\d+ tests?[^)]*\)(?: \d+ failed)? (\d+)ms\s*$/.exec(line.replace(/\x1b\[[0-9;]*m/g, ''));
  return m ? [m[1]!, Number(m[2])] : undefined;
}

export function writeDurations(durations: Durations): void {
  const sorted = Object.fromEntries(Object.entries(durations).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(DURATIONS_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
}
