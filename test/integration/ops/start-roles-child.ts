// `start --role all` as a process whose worker cannot start: the configuration is loaded and
// checked as the command line does, then its alert schedule is replaced by TEST_WORKER_CRON, a cron
// node-cron refuses, as a configuration built in code rather than loaded could carry.
import { loadConfig } from '../../../src/config/load.js';
import { startRoles } from '../../../src/cli/start-roles.js';
import { createLogger } from '../../../src/lib/logger.js';

const config = await loadConfig({ env: process.env, purpose: 'bot' });
const broken = { ...config, schedules: { ...config.schedules, alertEvaluation: process.env.TEST_WORKER_CRON ?? config.schedules.alertEvaluation } };
try {
  await startRoles('all', broken, createLogger({ level: 'info' }));
} catch (error) {
  // As the command line ends an error it did not expect: a message and status 1, no forced exit.
  process.stderr.write(`unexpected error: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
