import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The soak runs on its own afterwards (vitest.soak.config.ts), with the machine to itself.
    exclude: ['test/federation/soak.test.ts', '**/node_modules/**'],
    // The CLI tests run the built binary; this builds it when dist is missing or stale.
    globalSetup: ['test/support/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
