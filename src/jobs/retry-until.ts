/** Retries a one-off side effect (queueing the day's digest) until it succeeds, within a bound. */

export interface RetryUntilOptions {
  /** Between a failure and the next try: the most, once `firstRetryMs` has doubled up to it. */
  everyMs: number;
  /** The wait after the first failure, doubled after each later one up to `everyMs` (default: `everyMs` throughout). */
  firstRetryMs?: number;
  /** How long after the first try it gives up. */
  forMs: number;
  logger: { warn(context: Record<string, unknown>, msg: string): void; error(context: Record<string, unknown>, msg: string): void };
  /** What is being tried, for the log lines. */
  what: string;
  now?: () => number;
}

/**
 * Runs `attempt` now and again after each failure; `retryNow()` runs the tries still waiting at
 * once (what failed may be back: Redis reconnected), and a try still running then is tried again at
 * once if it fails (it may have been sent before the reconnect); `stop()` cancels them.
 */
export function retryUntilDone(options: RetryUntilOptions): { run(attempt: () => Promise<unknown>, context?: Record<string, unknown>): void; retryNow(): void; stop(): void } {
  const now = options.now ?? Date.now;
  // Each waiting try: its timer, and the try itself.
  const timers = new Map<NodeJS.Timeout, (afterNudge?: boolean) => void>();
  let stopped = false;
  // Counts the calls of retryNow, so a try can tell whether one came while it ran.
  let nudges = 0;
  // `failures` counts the failures since the first try or the last nudge: a try that a reconnect
  // brought on and that came too soon is followed by the short waits again, not the doubled ones.
  const run = (attempt: () => Promise<unknown>, context: Record<string, unknown> = {}, firstTry = now(), failures = 0): void => {
    const nudgesAtStart = nudges;
    attempt().catch((error: unknown) => {
      if (stopped) return;
      const nudged = nudges !== nudgesAtStart;
      const waitMs = nudged ? 0 : Math.min(options.everyMs, (options.firstRetryMs ?? options.everyMs) * 2 ** failures);
      if (now() - firstTry + waitMs > options.forMs) {
        options.logger.error({ err: error, ...context }, `could not ${options.what}; giving up`);
        return;
      }
      options.logger.warn({ err: error, ...context, retryMs: waitMs }, `could not ${options.what}; trying again`);
      const again = (afterNudge = nudged) => {
        timers.delete(timer);
        run(attempt, context, firstTry, afterNudge ? 0 : failures + 1);
      };
      const timer = setTimeout(again, waitMs);
      timer.unref();
      timers.set(timer, again);
    });
  };
  return {
    run: (attempt, context) => run(attempt, context),
    retryNow() {
      nudges += 1;
      for (const [timer, again] of [...timers]) {
        clearTimeout(timer);
        again(true);
      }
    },
    stop() {
      stopped = true;
      for (const timer of timers.keys()) clearTimeout(timer);
      timers.clear();
    },
  };
}
