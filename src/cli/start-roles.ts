/** `start --role worker|all`: the worker alone, or bot and worker in one process with one shutdown. */
import type { Config } from '../config/load.js';
import type { Logger } from '../lib/logger.js';
import { createMetricsRegistry } from '../metrics/registry.js';
import { roleStop } from '../lib/shutdown.js';
import type { Registry } from 'prom-client';

type StartBotFn = (config: Config, logger: Logger, options?: { handleSignals?: boolean; registry?: Registry }) => Promise<unknown>;

export interface StartRolesOptions {
  /** How the process ends (a role that cannot start, or after a signal's stop); `process.exit` by default. */
  exit?: (code: number) => void;
}

type RoleHandle = { stop?: () => Promise<void> };

/**
 * Starts the worker role, or bot and worker together; SIGTERM/SIGINT close both gracefully. A role
 * that cannot start stops the process with exit 1, and a half-started process never serves.
 */
export async function startRoles(role: 'worker' | 'all', config: Config, logger: Logger, startBotOverride?: StartBotFn, options: StartRolesOptions = {}): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const roles: RoleHandle[] = [];
  let starting: Promise<unknown> = Promise.resolve();
  let stopping = false;
  // The signal handlers come before either role starts: a role says it started as soon as it has,
  // and a SIGTERM from then on (or while a role is still starting) must stop the roles and exit by
  // this handler, never end the process by the signal's default action.
  roleStop(
    async () => {
      stopping = true;
      // A role still starting is stopped once it has started; none starts after this.
      await starting;
      const results = await Promise.allSettled(roles.map((r) => r.stop?.()));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0) throw new AggregateError(failed.map((f) => f.reason as unknown), `stopping the ${role === 'all' ? 'bot and worker' : 'worker'} failed`);
    },
    { logger, ...(role === 'all' ? { message: 'stopping bot and worker' } : {}), ...(options.exit ? { exit: options.exit } : {}) },
  );
  // A role that failed half-way may hold Redis connections and timers open: end the process rather than linger.
  const started = <T extends RoleHandle>(name: 'bot' | 'worker', start: () => Promise<T>, undo: () => Promise<unknown> = async () => undefined): Promise<T | undefined> => {
    const starts = (async () => {
      if (stopping) return undefined;
      try {
        const handle = await start();
        roles.push(handle);
        return handle;
      } catch (error) {
        logger.fatal({ role: name, reason: (error as Error).message ?? String(error) }, `the ${name} could not start; exiting with status 1`);
        await undo().catch((stopError: unknown) => logger.warn({ err: stopError }, 'stopping the roles already started failed'));
        exit(1);
        return undefined;
      }
    })();
    starting = starts;
    return starts;
  };
  const { startWorker } = await import('../worker.js');
  if (role === 'worker') {
    await started('worker', () => startWorker(config, logger, { handleSignals: false }));
    return;
  }
  const startBot: StartBotFn = startBotOverride ?? (await import('../main.js')).startBot;
  // One registry for both: the bot serves it on PORT at /metrics, so the worker opens no port of its own.
  const registry = createMetricsRegistry();
  // The worker first: here it opens no port, so a worker that cannot start leaves nothing that served.
  const worker = await started('worker', () => startWorker(config, logger, { handleSignals: false, registry, serveMetrics: false }));
  if (!worker) return;
  await started('bot', async () => (await startBot(config, logger, { handleSignals: false, registry })) as RoleHandle, () => worker.stop());
}
