import pLimit, { type LimitFunction } from 'p-limit';

export interface BoundedLimiterOptions {
  /** Computations running at once. */
  concurrency: number;
  /** Computations waiting for a slot; past this, new work is refused. */
  maxQueue: number;
}

/**
 * A concurrency limiter with a bounded queue. `tryRun` decides synchronously whether the work
 * is accepted, so a caller can answer "busy" before it acknowledges anything.
 */
export class BoundedLimiter {
  private readonly limit: LimitFunction;
  private accepted = 0;

  constructor(private readonly options: BoundedLimiterOptions) {
    this.limit = pLimit(options.concurrency);
  }

  /** Runs `work` under the limit, or returns `undefined` at once when the queue is full. */
  tryRun<T>(work: () => Promise<T>): Promise<T> | undefined {
    if (this.accepted >= this.options.concurrency + this.options.maxQueue) return undefined;
    this.accepted += 1;
    return this.limit(work).finally(() => {
      this.accepted -= 1;
    });
  }

  /** Computations running or waiting. */
  get load(): number {
    return this.accepted;
  }

  /** Computations running now. */
  get active(): number {
    return this.limit.activeCount;
  }
}
