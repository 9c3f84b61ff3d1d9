import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/run-summary-reporter.ts'],
    // Integration tests start real servers and spawn real processes; forks isolate native handles.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
