import { readFileSync } from 'node:fs';
import vm from 'node:vm';
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

describe('a lead workflow in the built bundle', () => {
  // Evaluated as the SDK's reusable context does it: preloads once, then each workflow's modules
  // in a module cache of its own (bench/workflow-load.bench.ts does the same to time it).
  function loadOneWorkflow(): Record<string, { exports: Record<string, unknown> }> {
    const cache: Record<string, { exports: Record<string, unknown> }> = {};
    const context = vm.createContext({ console, TextEncoder, TextDecoder, URL, URLSearchParams, AbortController, AbortSignal, setTimeout, clearTimeout, queueMicrotask });
    Object.defineProperty(context, '__webpack_module_cache__', { value: cache });
    vm.runInContext(readFileSync(inject('workflowBundlePath'), 'utf8'), context);
    vm.runInContext('__TEMPORAL__.preloadModules(); __TEMPORAL__.importWorkflows()', context);
    return cache;
  }
  const zodModules = (cache: object) => Object.keys(cache).filter((id) => id.includes('/node_modules/zod/'));

  it('loads zod only when its first command is validated, and the validators then work', () => {
    const cache = loadOneWorkflow();
    expect(Object.keys(cache)).toContain('./workflows/lead.workflow.ts');
    expect(zodModules(cache)).toEqual([]);
    expect(Object.keys(cache)).not.toContain('./domain/lead-state.validators.ts');

    const loader = cache['./workflows/lead-validators.loader.ts']!.exports as { leadValidators: () => Record<string, (...args: unknown[]) => unknown> };
    const validators = loader.leadValidators();
    expect(zodModules(cache).length).toBeGreaterThan(5);
    const state = { stage: 'new', ownerId: null, erasedAt: null };
    expect(validators.validateClaim!(state, { brokerId: 'broker-1' })).toBeNull();
    expect(validators.validateClaim!(state, { brokerId: '' })).toMatchObject({ code: 'invalid_input' });
    expect(loader.leadValidators()).toBe(validators);
  });
});
