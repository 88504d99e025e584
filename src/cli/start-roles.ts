/** `start --role worker|all`: the worker alone, or bot and worker in one process with one shutdown. */
import type { Config } from '../config/load.js';
import type { Logger } from '../lib/logger.js';
import { createMetricsRegistry } from '../metrics/registry.js';
import { roleStop } from '../lib/shutdown.js';
import type { Registry } from 'prom-client';

type StartBotFn = (config: Config, logger: Logger, options?: { handleSignals?: boolean; registry?: Registry }) => Promise<unknown>;

export interface StartRolesOptions {
  /** How the process ends when a role cannot start; `process.exit` by default. */
  exit?: (code: number) => void;
}

/**
 * Starts the worker role, or bot and worker together; SIGTERM/SIGINT close both gracefully. A role
 * that cannot start stops the process with exit 1, and a half-started process never serves.
 */
export async function startRoles(role: 'worker' | 'all', config: Config, logger: Logger, startBotOverride?: StartBotFn, options: StartRolesOptions = {}): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  // A role that failed half-way may hold Redis connections and timers open: end the process rather than linger.
  const started = async <T>(name: 'bot' | 'worker', start: () => Promise<T>, undo: () => Promise<unknown> = async () => undefined): Promise<T | undefined> => {
    try {
      return await start();
    } catch (error) {
      logger.fatal({ role: name, reason: (error as Error).message ?? String(error) }, `the ${name} could not start; exiting with status 1`);
      await undo().catch((stopError: unknown) => logger.warn({ err: stopError }, 'stopping the roles already started failed'));
      exit(1);
      return undefined;
    }
  };
  const { startWorker } = await import('../worker.js');
  if (role === 'worker') {
    await started('worker', () => startWorker(config, logger));
    return;
  }
  const startBot: StartBotFn = startBotOverride ?? (await import('../main.js')).startBot;
  // One registry for both: the bot serves it on PORT at /metrics, so the worker opens no port of its own.
  const registry = createMetricsRegistry();
  // The worker first: here it opens no port, so a worker that cannot start leaves nothing that served.
  const worker = await started('worker', () => startWorker(config, logger, { handleSignals: false, registry, serveMetrics: false }));
  if (!worker) return;
  const bot = (await started('bot', () => startBot(config, logger, { handleSignals: false, registry }), () => worker.stop())) as { stop?: () => Promise<void> } | undefined;
  if (!bot) return;
  // As each role alone does: the first signal stops both gracefully, within the one shutdown bound; a second exits at once.
  roleStop(
    async () => {
      const results = await Promise.allSettled([bot.stop?.(), worker.stop()]);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0) throw new AggregateError(failed.map((f) => f.reason as unknown), 'stopping bot and worker failed');
    },
    { logger, message: 'stopping bot and worker' },
  );
}
