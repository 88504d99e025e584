/** Retries a one-off side effect (queueing the day's digest) until it succeeds, within a bound. */

export interface RetryUntilOptions {
  /** Between a failure and the next try. */
  everyMs: number;
  /** How long after the first try it gives up. */
  forMs: number;
  logger: { warn(context: Record<string, unknown>, msg: string): void; error(context: Record<string, unknown>, msg: string): void };
  /** What is being tried, for the log lines. */
  what: string;
  now?: () => number;
}

/** Runs `attempt` now and again after each failure; `stop()` cancels what is still pending. */
export function retryUntilDone(options: RetryUntilOptions): { run(attempt: () => Promise<unknown>, context?: Record<string, unknown>): void; stop(): void } {
  const now = options.now ?? Date.now;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const run = (attempt: () => Promise<unknown>, context: Record<string, unknown> = {}, firstTry = now()): void => {
    attempt().catch((error: unknown) => {
      if (stopped) return;
      if (now() - firstTry + options.everyMs > options.forMs) {
        options.logger.error({ err: error, ...context }, `could not ${options.what}; giving up`);
        return;
      }
      options.logger.warn({ err: error, ...context, retryMs: options.everyMs }, `could not ${options.what}; trying again`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        run(attempt, context, firstTry);
      }, options.everyMs);
      timer.unref();
      timers.add(timer);
    });
  };
  return {
    run: (attempt, context) => run(attempt, context),
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
