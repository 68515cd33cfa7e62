import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths';
import { modernSyntax, SHARED_DOMAIN_MODULES } from '../../temporal/workflow-bundle.options';

// What the workflow bundle shares between workflows (#13). A pure domain module a workflow
// loads but the bundle does not preload is evaluated again for every lead the worker starts or
// replays; a preloaded one is shared and its exports frozen, so it must not export zod schemas
// (zod defines properties on first use), load immer or reach the workflow API.

const runtimeImports = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*? from '([^']+)';/gm)].map((m) => m[1]!);

/** Every file and package a module loads at run time, itself included. */
function closure(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.ts')) return;
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec) + (spec.endsWith('.json') ? '' : '.ts'));
      else seen.add(`package:${spec}`);
    }
  };
  roots.forEach(visit);
  return seen;
}

const SHAREABLE_PACKAGES = ['package:fuse.js'];
const domainFile = (m: string) => path.join(repoRoot, 'domain', `${m}.ts`);
const shareable = (file: string) => [...closure([file])].every((f) => (f.startsWith('package:') ? SHAREABLE_PACKAGES.includes(f) : path.relative(repoRoot, f).startsWith('domain/')));

const workflowFiles = readdirSync(path.join(repoRoot, 'workflows'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => path.join(repoRoot, 'workflows', f));

describe('workflow bundle options', () => {
  it('preloads only domain modules that stay shareable: no zod, no immer, no workflow API', () => {
    expect(SHARED_DOMAIN_MODULES.filter((m) => !shareable(domainFile(m)))).toEqual([]);
  });

  it('preloads every shareable domain module a workflow loads', () => {
    const loaded = [...closure(workflowFiles)].filter((f) => f.endsWith('.ts') && path.relative(repoRoot, f).startsWith('domain/'));
    const preloaded = closure(SHARED_DOMAIN_MODULES.map(domainFile));
    const missing = loaded.filter((f) => shareable(f) && !preloaded.has(f)).map((f) => path.relative(repoRoot, f));
    expect(missing).toEqual([]);
  });

  it('keeps modern syntax, so Unicode property escapes stay native regular expressions', () => {
    const config = { module: { rules: [{ test: /\.ts$/, use: { loader: '/x/node_modules/swc-loader/index.js', options: { jsc: { target: 'es2017' } } } }] } };
    modernSyntax(config as never);
    expect(config.module.rules[0]!.use.options.jsc.target).toBe('es2022');
  });

  it('keeps zod out of what a workflow loads: the update validators come in on first use', () => {
    // Building the profile schemas (and loading zod for them) for each lead cost a fifth of the
    // workflow thread's time, and zod's own modules were most of what was left (CPU profile, #13).
    const loaded = [...closure(workflowFiles)].filter((f) => f.endsWith('.ts'));
    const buildsSchemas = loaded.filter((f) => runtimeImports(f).includes('zod')).map((f) => path.relative(repoRoot, f));
    expect(buildsSchemas).toEqual([]);
    // The one deferred load (workflows/lead-validators.loader.ts); the built bundle's test runs it.
    const lazy = workflowFiles.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\brequire\('([^']+)'\)/g)].map((m) => `${path.basename(f)} → ${m[1]}`));
    expect(lazy).toEqual(['lead-validators.loader.ts → ../domain/lead-state.validators']);
    // …and the contract builds its command schemas on first use, not at load (most leads never get a command).
    const contract = readFileSync(path.join(repoRoot, 'domain/lead-command.contract.ts'), 'utf8');
    expect(contract.match(/^(export )?const \w+ = z\b/gm)).toBeNull();
  });
});
