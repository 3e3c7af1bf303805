import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Lab tests create network namespaces and browsers: keep files from fighting over the 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
