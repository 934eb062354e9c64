import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.int.test.ts'],
    testTimeout: 20_000,
    // CI also keeps a machine-readable report, from which .ci/run prints the plain closing line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: process.env.CI ? { json: 'artifacts/vitest-unit.json' } : undefined,
  },
});
