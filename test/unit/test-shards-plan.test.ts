import { describe, expect, it } from 'vitest';
import { durationOf, planShards, projectFiles } from '../../scripts/test-shards.plan';

describe('test shards by recorded duration', () => {
  it('puts the longest files first, each on the lightest shard, and every file exactly once', () => {
    const durations = { a: 100, b: 60, c: 50, d: 40, e: 10 };
    const plan = planShards(['e', 'd', 'c', 'b', 'a'], durations, 2);
    expect(plan).toEqual([['a', 'd'], ['b', 'c', 'e']]); // 140 and 120
    // vitest's count split would give 3 + 2 files whatever they weigh
  });

  it('weighs a file never timed as the median and drops empty shards', () => {
    expect(planShards(['new', 'x', 'y', 'z'], { x: 10, y: 20, z: 30 }, 2)).toEqual([['x', 'z'], ['new', 'y']]); // new weighs 20
    expect(planShards(['only'], {}, 3)).toEqual([['only']]);
  });

  it('reads a finished file’s duration from vitest’s line, passed or failed, with colours', () => {
    expect(durationOf('[integration 2/2]  ✓  integration  test/integration/lead-timers.test.ts (8 tests) 54851ms')).toEqual(['test/integration/lead-timers.test.ts', 54851]);
    expect(durationOf('\x1b[31m ❯ \x1b[39m e2e  test/e2e/auth.e2e.test.ts (4 tests | 1 failed) 22261ms')).toEqual(['test/e2e/auth.e2e.test.ts', 22261]);
    expect(durationOf('   ✓ refuses forged signatures 120ms')).toBeUndefined();
  });

  it('finds the same files as the vitest projects include', () => {
    const integration = projectFiles('integration');
    expect(integration).toContain('test/integration/lead-timers.test.ts');
    expect(integration).toContain('db/timeline-entries.migration.test.ts');
    expect(projectFiles('e2e').every((f) => f.startsWith('test/e2e/'))).toBe(true);
    expect(() => projectFiles('nope')).toThrow(/no include globs/);
  });
});
