import { defineConfig } from 'vitest/config';

// Three projects so `validate` can run them as separate steps; integration and e2e share
// one global setup that starts (or reuses) the real Postgres, Redis and Temporal servers.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['domain/**/*.test.ts', 'lib/**/*.test.ts', 'activities/agent/**/*.test.ts', 'workflows/**/*.unit.test.ts', 'test/unit/**/*.test.ts'],
          environment: 'node',
          // The eval sets take a few seconds alone; on a machine shared by several runs, more.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'api/**/*.test.ts', 'db/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts', 'test/support/web-build.setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
