import { defineConfig } from 'vitest/config';

// Integration tests: against a real Kafka broker that test/int-global-setup.ts starts once per run.
export default defineConfig({
  test: {
    include: ['**/*.int.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['test/int-global-setup.ts'],
    // One broker on a 2-core machine: files one after another keep timings (and rebalances) predictable.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: process.env.CI ? { json: 'artifacts/vitest-int.json' } : undefined,
  },
});
