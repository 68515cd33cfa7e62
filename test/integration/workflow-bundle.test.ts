import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { SHARED_DOMAIN_MODULES } from '../../temporal/workflow-bundle.options';

// The built workflow bundle (the one every integration test's worker runs) really preloads what
// temporal/workflow-bundle.options.ts lists. webpack silently turns a preload it thinks has no
// effect into `0;`: that is how zod and libphonenumber were "preloaded" and still evaluated
// again for every lead (#13).

function preloadBody(code: string): string[] {
  const start = code.indexOf('exports.preloadModules = function preloadModules() {');
  expect(start).toBeGreaterThan(-1);
  const body = code.slice(code.indexOf('{', start) + 1, code.indexOf('\n}', start));
  return body.split('\n').map((l) => l.trim()).filter(Boolean);
}

describe('workflow bundle', () => {
  it('evaluates every listed module in its preload, and nothing is dropped', () => {
    const statements = preloadBody(readFileSync(inject('workflowBundlePath'), 'utf8'));
    expect(statements.filter((s) => !s.startsWith('__webpack_require__('))).toEqual([]);
    const required = statements.map((s) => /"\.\/domain\/([^"]+)\.ts"\)/.exec(s)?.[1]);
    expect(required.sort()).toEqual([...SHARED_DOMAIN_MODULES].sort());
  });
});
