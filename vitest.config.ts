import { defineConfig } from 'vitest/config';
import IntegrationFirst from './test/helpers/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The test files share one moto server and one Redis, each under names of its own (unique
    // buckets, queue and key prefixes), so they may run side by side. Most integration files spend
    // their time waiting on child processes, deadlines and locks rather than on the CPU, so six
    // workers keep the 2-core machine busy where two left it half idle.
    maxWorkers: 6,
    // Files of one worker share loaded modules (the AWS SDK, Bolt, BullMQ) instead of importing them
    // again for each file, which was a third of the suite's CPU time. A test therefore never relies on
    // a module mock (vi.mock) or on module state left by another file; it passes what it fakes in.
    isolate: false,
    sequence: { sequencer: IntegrationFirst },
  },
});
