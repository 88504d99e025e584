/** `start --role worker|all`: the worker alone, or bot and worker in one process with one shutdown. */
import type { Config } from '../config/load.js';
import type { Logger } from '../lib/logger.js';
import { createMetricsRegistry } from '../metrics/registry.js';
import { exitOnShutdownSignals } from '../lib/shutdown.js';
import type { Registry } from 'prom-client';

type StartBotFn = (config: Config, logger: Logger, options?: { handleSignals?: boolean; registry?: Registry }) => Promise<unknown>;

/** Starts the worker role, or bot and worker together; SIGTERM/SIGINT close both gracefully. */
export async function startRoles(role: 'worker' | 'all', config: Config, logger: Logger, startBotOverride?: StartBotFn): Promise<void> {
  const { startWorker } = await import('../worker.js');
  if (role === 'worker') {
    await startWorker(config, logger);
    return;
  }
  const startBot: StartBotFn = startBotOverride ?? (await import('../main.js')).startBot;
  // One registry for both: the bot serves it on PORT at /metrics, so the worker opens no port of its own.
  const registry = createMetricsRegistry();
  const bot = (await startBot(config, logger, { handleSignals: false, registry })) as { stop?: () => Promise<void> } | undefined;
  const worker = await startWorker(config, logger, { handleSignals: false, registry, serveMetrics: false });
  // As each role alone does: the first signal stops both gracefully, within the one shutdown bound; a second exits at once.
  exitOnShutdownSignals({
    logger,
    message: 'stopping bot and worker',
    stop: async () => {
      const results = await Promise.allSettled([bot?.stop?.(), worker.stop()]);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0) throw new AggregateError(failed.map((f) => f.reason as unknown), 'stopping bot and worker failed');
    },
  });
}
