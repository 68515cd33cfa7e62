import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from '../lib/paths';
import { ensurePostgres, ensureRedis, type Service } from './services';
import { durationOf, planShards, projectFiles, readDurations, writeDurations } from './test-shards.plan';

// The integration and e2e suites of `make test`, side by side: the integration files in
// TEST_SHARDS shards and the e2e files in TEST_E2E_SHARDS (2 each by default), each shard a
// vitest process of its own with its own database, Redis key prefix and Temporal dev server
// (test/support/global-setup.ts), so they cannot see each other. Run one after the other they left the machine two-thirds idle (tests
// wait on timers, webhooks and the browser) and CI took over 20 minutes. Postgres and Redis are
// made sure of here first, once: started in parallel by each suite, an embedded Postgres would
// be started twice, and stopped by whichever suite ended first.
// `npm run test:suites -- --serial` runs them one after the other, as before. Files go to
// shards by their recorded durations (scripts/test-shards.plan.ts).

const say = (m: string) => console.log(`\x1b[36m[test]\x1b[0m ${m}`);
const serial = process.argv.includes('--serial');
// --record keeps this run's file durations in test/suite-durations.json for the next plan
const record = process.argv.includes('--record');
const durations = readDurations();
const shardCount = (name: string) => Math.max(1, Math.floor(Number(process.env[name] ?? 2)) || 1);

interface Suite {
  name: string;
  args: string[];
}

function sharded(project: string, shards: number): Suite[] {
  if (shards === 1) return [{ name: project, args: ['--project', project] }];
  const plan = planShards(projectFiles(project), durations, shards);
  return plan.map((files, i) => ({ name: `${project} ${i + 1}/${plan.length}`, args: ['--project', project, ...files] }));
}

const suites: Suite[] = [...sharded('integration', shardCount('TEST_SHARDS')), ...sharded('e2e', shardCount('TEST_E2E_SHARDS'))];

function run(suite: Suite, env: NodeJS.ProcessEnv): Promise<{ suite: Suite; code: number; seconds: number }> {
  const started = Date.now();
  const vitest = `${repoRoot}/node_modules/vitest/vitest.mjs`;
  const child = spawn(process.execPath, [vitest, 'run', ...suite.args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // each line keeps the suite's name, so interleaved output still reads
  const prefix = `[${suite.name}] `;
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on('line', (line) => {
      console.log(prefix + line);
      noteFailure(prefix, line);
      const timed = durationOf(line);
      if (timed) measured[timed[0]] = timed[1];
    });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ suite, code: code ?? (signal ? 1 : 0), seconds: Math.round((Date.now() - started) / 1000) })));
}

// CI shows only the tail of the output, where four suites' summaries end interleaved: the
// failed tests and their first error line are said again at the very end.
const failures: string[] = [];
const measured: Record<string, number> = {};
const afterFail = new Set<string>();
function noteFailure(prefix: string, line: string): void {
  const plain = line.replace(/\x1b\[[0-9;]*m/g, '').trim();
  const failed = /^(FAIL|×)\s/.test(plain);
  const firstError = afterFail.has(prefix) && /^[A-Za-z]*(Error|Exception)\b/.test(plain);
  if ((failed || firstError) && failures.length < 40 && !failures.includes(prefix + plain)) failures.push(prefix + plain);
  if (failed && plain.startsWith('FAIL')) afterFail.add(prefix);
  else if (plain) afterFail.delete(prefix);
}

async function main(): Promise<number> {
  const postgresUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/9';
  const services: Service[] = [await ensurePostgres(postgresUrl, say), await ensureRedis(redisUrl, say)];
  const env = { ...process.env, TEST_DATABASE_URL: postgresUrl, TEST_REDIS_URL: redisUrl, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' };
  try {
    const results = [];
    if (serial) for (const s of suites) results.push(await run(s, env));
    else results.push(...(await Promise.all(suites.map((s) => run(s, env)))));
    if (failures.length > 0) say(`failed:\n${failures.join('\n')}`);
    if (record) writeDurations({ ...durations, ...measured });
    for (const r of results) say(`${r.suite.name}: ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`} in ${r.seconds} s`);
    return results.every((r) => r.code === 0) ? 0 : 1;
  } finally {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
  }
}

process.exitCode = await main();
