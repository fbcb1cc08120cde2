import { defineConfig } from 'vitest/config';

/**
 * The soak alone (`npm test` runs it after every other test): ten minutes of traffic across five
 * node processes, with the machine to itself so that no other test shares its cores.
 */
export default defineConfig({
  test: {
    include: ['test/federation/soak.test.ts'],
    globalSetup: ['test/support/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
