import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code; integration, conformance and e2e live in test/.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['db/src/**/*.test.ts', 'api/src/**/*.test.ts', 'agent/src/**/*.test.ts', 'web/lib/**/*.test.ts', 'test/bench/lib/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/smoke/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/conformance/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          pool: 'forks',
          // One fork runs the files one after another and keeps its module cache: each file's own
          // import graph (api, agent engine, drivers) is not loaded again, ~4 s a file under load.
          // Files must not rely on module state left by another (each builds its own harness).
          isolate: false,
        },
      },
    ],
  },
});
