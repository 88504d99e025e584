// A worker OS process for the integration tests: the real startWorker, configured from the
// environment the way `s3-chatops start --role worker` is, with ticks mapped onto a faster clock.
// TEST_NO_TICKS=1 runs a worker that only works off what is queued (it enqueues no tick);
// TEST_TICK_CRON ticks on a cron the configuration would refuse (every second), to run many slots quickly.
// TEST_TEAMS_CONNECTIONS=1 gives the Teams bot the tests' fixed connector token (fake-connector.ts).
import { loadConfig } from '../../../src/config/load.js';
import { createLogger } from '../../../src/lib/logger.js';
import { cronTicks, type TickSource } from '../../../src/jobs/tick-source.js';
import { startWorker } from '../../../src/worker.js';
import { testConnections } from '../../helpers/fake-connector.js';

const env = process.env;
const simStart = Number(env.TEST_SIM_START_MS);
const simT0 = Number(env.TEST_SIM_T0_MS);
const simStepMs = Number(env.TEST_SIM_STEP_MS ?? 300_000);
const noTicks: TickSource = () => ({ stop: () => undefined });

const config = await loadConfig({ env, purpose: 'cli' });
const logger = createLogger({ level: 'info' });
await startWorker(config, logger, {
  queuePrefix: env.TEST_QUEUE_PREFIX,
  keyPrefix: env.TEST_KEY_PREFIX,
  // Each real second is one evaluation period of the seeded data.
  ...(env.TEST_SIM_START_MS && env.TEST_SIM_T0_MS && Number.isFinite(simStart) && Number.isFinite(simT0)
    ? { evaluationTime: (slot: Date) => new Date(simT0 + Math.round((slot.getTime() - simStart) / 1000) * simStepMs) }
    : {}),
  ...(env.TEST_NO_TICKS === '1' ? { ticks: noTicks, digestTicks: noTicks } : env.TEST_TICK_CRON ? { ticks: cronTicks(env.TEST_TICK_CRON, 'UTC') } : {}),
  ...(env.TEST_TEAMS_CONNECTIONS === '1' ? { teamsConnections: testConnections() } : {}),
  // Three workers on one machine: each serves /metrics on a free port rather than all on PORT.
  metricsPort: 0,
});
