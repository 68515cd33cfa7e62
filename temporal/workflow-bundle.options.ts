import type { BundleOptions } from '@temporalio/worker';
import path from 'node:path';
import { repoRoot } from '../lib/paths';

/**
 * Modules evaluated once per worker instead of once per workflow (#13). The reusable V8 context
 * runs every other module of the bundle again for each lead it starts or replays, and a new
 * lead's first workflow task paid for it: our `domain/` tables (the gazetteer of areas with its
 * alias maps, the language word lists, the reply copy in three languages, the opt-out phrases).
 * A preloaded module is shared by every workflow and the SDK deep-freezes its exports, so only
 * stateless modules whose exports survive freezing may go here: `domain/` is pure by rule (its
 * only module-level caches memoise pure functions, so sharing them cannot make a replay differ),
 * but a module that exports zod schemas (zod binds a schema's methods on first use) or loads
 * immer stays per workflow.
 *
 * zod itself cannot be shared either: frozen, its own regular expressions refuse the `lastIndex`
 * its string checks reset. So the modules a workflow loads for every lead keep zod out: the stage
 * rules and the empty profile live apart from their schemas (`lead-stage.schema.ts`,
 * `profile.schema.ts`), the message names apart from the command inputs, and the update
 * validators, which need the command contract and so zod, load on a lead's first command
 * (`workflows/lead-validators.loader.ts`). Packages are not listed here: they declare
 * `sideEffects: false`, and webpack drops a preload of such a package (the bundle's preload
 * function held `0;` for each one).
 * `test/unit/workflow-bundle-options.test.ts` keeps this list honest both ways, and
 * `test/integration/workflow-bundle.test.ts` checks the built bundle really preloads it.
 */
export const SHARED_DOMAIN_MODULES = [
  'follow-up.schedule',
  'geo.matcher',
  'language.detector',
  'lead-intent.detector',
  'lead-message-names.contract',
  'lead-opt-out.rules',
  'lead-priority.rules',
  'lead-snapshot',
  'lead-stage.rules',
  'lead-state.model',
  'lead-timers.rules',
  'numerals',
  'opt-out.detector',
  'profile.defaults',
  'proposed-time.parser',
  'quiet-hours',
  'reply-copy',
  'reply-copy-actions',
  'text.util',
];

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
type Rule = { use?: { loader?: string; options?: { jsc?: { target?: string } } } };

/**
 * The SDK compiles workflow TypeScript for ES2017, which rewrites every `\p{L}` regular
 * expression into a RegExp built from a 10 kB string at run time. The worker runs the bundle on
 * Node 24, so we compile for ES2022 and keep the native literals: the Unicode-aware matching of
 * names and areas cost about 20 ms of a new lead's first workflow task before (CPU profile).
 */
export function modernSyntax(config: WebpackConfig): WebpackConfig {
  for (const rule of (config.module?.rules ?? []) as Rule[]) {
    const jsc = rule?.use?.loader?.includes('swc-loader') ? rule.use.options?.jsc : undefined;
    if (jsc) jsc.target = 'es2022';
  }
  return config;
}

/** The same bundle for the pre-built file (production, tests, bench) and a dev worker's own bundling. */
export function workflowBundlerOptions(): { preloadModules: string[]; webpackConfigHook: (config: WebpackConfig) => WebpackConfig } {
  return {
    preloadModules: [...SHARED_DOMAIN_MODULES.map((m) => path.join(repoRoot, 'domain', `${m}.ts`))],
    webpackConfigHook: modernSyntax,
  };
}
