/**
 * The one stop sequence on SIGTERM/SIGINT for every role: the first signal runs the role's
 * graceful `stop`, a second signal exits at once, and a `stop` that is still running when the
 * shutdown bound is up (a Redis that does not answer QUIT, a close that waits on a frozen socket)
 * is abandoned with exit 1, so the process is always gone within the bound.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** The most a signalled process lives on: inside the 30 s Docker and Kubernetes give before SIGKILL. */
export const SHUTDOWN_BOUND_MS = 20_000;

/** How long closing one connection (a Redis QUIT, a queue's close) may take before it is dropped. */
export const CLOSE_STEP_MS = 2_000;

/**
 * How long answers or jobs already taken may run on after a signal: the bound less the three
 * bounded close steps that follow a drain (stop listening or force-close workers, queues, Redis)
 * and a second to spare, so a graceful stop ends before the bound even when Redis does not answer.
 */
export const DRAIN_BOUND_MS = SHUTDOWN_BOUND_MS - 3 * CLOSE_STEP_MS - 1_000;

export interface ShutdownSignalOptions {
  /** The role's graceful stop: stop taking work, drain (bounded), close connections. */
  stop: () => Promise<void>;
  logger: Logger;
  /** How the process ends; `process.exit` by default. */
  exit?: (code: number) => void;
  /** The hard bound from the first signal to the exit; `SHUTDOWN_BOUND_MS` by default. */
  boundMs?: number;
  /** The line logged on the first signal. */
  message?: string;
}

/** Runs `stop` on the first SIGTERM/SIGINT and exits 0 (1 if it failed or outlived the bound); a second signal exits 1 at once. Returns a function that removes the handlers. */
export function exitOnShutdownSignals(options: ShutdownSignalOptions): () => void {
  const { stop, logger } = options;
  const exitWith = options.exit ?? ((code: number) => process.exit(code));
  const exit = (code: number): void => {
    process.off('uncaughtException', onLateConnectionError);
    exitWith(code);
  };
  const boundMs = options.boundMs ?? SHUTDOWN_BOUND_MS;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting at once');
      exit(1);
      return;
    }
    stopping = true;
    logger.info({ signal }, options.message ?? 'stopping');
    // With Redis down, a BullMQ connection closed while it was still starting reports its next
    // refused connect as an 'error' nobody listens to any more: that is the outage, not a crash.
    process.on('uncaughtException', onLateConnectionError);
    // Not unref'd: this timer is what ends a stop that hangs.
    const bound = setTimeout(() => {
      logger.error({ boundMs }, 'shutdown did not finish within its bound; exiting anyway');
      exit(1);
    }, boundMs);
    stop().then(
      () => {
        clearTimeout(bound);
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(bound);
        logger.error({ err: error }, 'stopping failed');
        exit(1);
      },
    );
  };
  const onLateConnectionError = (error: Error): void => {
    if (isConnectionError(error)) {
      logger.warn({ err: error }, 'a connection failed while stopping; stopping goes on');
      return;
    }
    logger.error({ err: error }, 'uncaught exception while stopping');
    exit(1);
  };
  // `on`, not `once`: the second signal must reach onSignal to exit at once.
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

function isConnectionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) || message === 'Connection is closed.';
}

/** Waits for `work` at most `ms`; true when it settled in time (its rejection is swallowed). */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true, () => true), timeUp]);
  } finally {
    clearTimeout(timer);
  }
}

/** QUITs a Redis connection, or drops its socket when Redis is down or does not answer within `ms`. */
export async function closeRedis(connection: Redis, ms = CLOSE_STEP_MS): Promise<void> {
  // A QUIT to a Redis that is reconnecting waits in the offline queue forever; there is nothing to say goodbye to.
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  await settlesWithin(connection.quit(), ms);
  // Whether QUIT was answered, failed or timed out, nothing of this connection may keep the process up.
  connection.disconnect();
}

export interface RoleStopOptions {
  logger: Logger;
  /** Run on SIGTERM/SIGINT and exit (default true); off when a parent (`start --role all`) stops the role. */
  handleSignals?: boolean;
  exit?: (code: number) => void;
  /** The line logged on the first signal. */
  message?: string;
}

/**
 * A role's `stop`: `run` (stop taking work, drain within a bound, close) runs once however often
 * `stop` is called, and on the first SIGTERM/SIGINT unless `handleSignals` is false. The one way
 * the bot, the worker and `start --role all` wire their stop to signals.
 */
export function roleStop(run: () => Promise<void>, options: RoleStopOptions): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  let removeSignalHandlers = (): void => undefined;
  const stop = (): Promise<void> => (stopping ??= run().finally(() => removeSignalHandlers()));
  if (options.handleSignals ?? true) {
    removeSignalHandlers = exitOnShutdownSignals({ stop, logger: options.logger, ...(options.exit ? { exit: options.exit } : {}), ...(options.message ? { message: options.message } : {}) });
  }
  return stop;
}

/** Waits for every close in `closing` to settle, at most `ms`; past it logs `what` did not close in time and goes on. True when all settled. */
export async function closeWithin(closing: readonly (Promise<unknown> | undefined)[], logger: Logger, what: string, ms = CLOSE_STEP_MS): Promise<boolean> {
  const settled = await settlesWithin(Promise.allSettled(closing), ms);
  if (!settled) logger.warn({ boundMs: ms }, `${what} did not close in time; going on`);
  return settled;
}
