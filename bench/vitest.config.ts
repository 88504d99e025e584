import { defineConfig } from 'vitest/config';

// `npm run bench`: the benchmarks of bench/*.bench-run.ts, one file after another (they measure
// and must not compete for the 2 cores), against the same moto and Redis the tests use. They
// write bench/results/*.json and print their tables; they fail only on wrong answers, never on speed.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench-run.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    reporters: ['default', './bench/table-reporter.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 3 * 60_000,
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false },
  },
});
