/** `start --role worker|all`: the worker alone, or bot and worker in one process with one shutdown. */
import type { Config } from '../config/load.js';
import type { Logger } from '../lib/logger.js';

type StartBotFn = (config: Config, logger: Logger, options?: { handleSignals?: boolean }) => Promise<unknown>;

/** Starts the worker role, or bot and worker together; SIGTERM/SIGINT close both gracefully. */
export async function startRoles(role: 'worker' | 'all', config: Config, logger: Logger, startBotOverride?: StartBotFn): Promise<void> {
  const { startWorker } = await import('../worker.js');
  if (role === 'worker') {
    await startWorker(config, logger);
    return;
  }
  const startBot: StartBotFn = startBotOverride ?? (await import('../main.js')).startBot;
  const bot = (await startBot(config, logger, { handleSignals: false })) as { stop?: () => Promise<void> } | undefined;
  const worker = await startWorker(config, logger, { handleSignals: false });
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping bot and worker');
    Promise.allSettled([bot?.stop?.(), worker.stop()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
