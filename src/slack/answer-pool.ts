import { BoundedLimiter } from '../lib/bounded-limiter.js';
import { RecentCache } from '../lib/recent-cache.js';
import { SingleFlight } from '../lib/singleflight.js';

export interface AnswerPoolOptions {
  /** How long a finished answer is reused for identical questions. */
  reuseMs: number;
  /** Computations running at once. */
  concurrency: number;
  /** Computations waiting for a slot before new ones are refused. */
  maxQueue: number;
  now: () => Date;
}

/** The defaults: answers reused for 20 s, 4 computations at once, 16 waiting. */
export const DEFAULT_ANSWER_POOL: Omit<AnswerPoolOptions, 'now'> = { reuseMs: 20_000, concurrency: 4, maxQueue: 16 };

/** What became of a question, decided synchronously so the caller can acknowledge first. */
export type Answer<T> =
  | { kind: 'reused'; value: T; ageMs: number }
  | { kind: 'computing'; promise: Promise<T>; joined: boolean }
  | { kind: 'busy' };

/**
 * Bounds the work behind acknowledgements: a recent answer is reused, identical questions in
 * flight share one computation, and the rest run through a limiter whose queue is bounded.
 */
export class AnswerPool<T> {
  private readonly cache: RecentCache<T>;
  private readonly flight = new SingleFlight<T>();
  private readonly limiter: BoundedLimiter;

  constructor(private readonly options: AnswerPoolOptions) {
    this.cache = new RecentCache<T>(options.reuseMs, options.now);
    this.limiter = new BoundedLimiter({ concurrency: options.concurrency, maxQueue: options.maxQueue });
  }

  /**
   * Answers `key` from the cache, the computation in flight, or a new one; never awaits, and a new
   * `work` starts only in a `setImmediate`, after the I/O callbacks already due in this loop.
   * `fresh` skips the cache (a Refresh button) but still joins a computation in flight.
   * `reuse` narrows the sharing for commands that act: `'in-flight'` only joins a computation
   * still running and keeps no answer; `false` runs `compute` every time (still under the limit).
   */
  ask(key: string, work: () => Promise<T>, options: { fresh?: boolean; reuse?: 'recent' | 'in-flight' | false } = {}): Answer<T> {
    const reuse = options.reuse ?? 'recent';
    // The work starts once the requests already received have been read and acknowledged: in a
    // burst, the first question's AWS calls would otherwise hold up the acknowledgements of the rest.
    const compute = () => afterPendingIo().then(work);
    if (reuse === false) {
      const limited = this.limiter.tryRun(compute);
      return limited ? { kind: 'computing', promise: limited, joined: false } : { kind: 'busy' };
    }
    if (!options.fresh && reuse === 'recent') {
      const recent = this.recent(key);
      if (recent) return recent;
    }
    const running = this.flight.current(key);
    if (running) return { kind: 'computing', promise: running, joined: true };
    const limited = this.limiter.tryRun(compute);
    if (!limited) return { kind: 'busy' };
    const { promise } = this.flight.run(key, async () => {
      const value = await limited;
      // A Refresh stores its answer for the next question; an in-flight-only answer is never reused.
      if (reuse === 'recent') this.cache.set(key, value);
      return value;
    });
    return { kind: 'computing', promise, joined: false };
  }

  /** The answer to `key` finished within the reuse time, if there is one; starts nothing. */
  recent(key: string): Extract<Answer<T>, { kind: 'reused' }> | undefined {
    const cached = this.cache.get(key);
    return cached ? { kind: 'reused', value: cached.value, ageMs: this.options.now().getTime() - cached.storedAt.getTime() } : undefined;
  }

  /** How long answers are reused, in milliseconds. */
  get reuseMs(): number {
    return this.options.reuseMs;
  }

  /** Computations running or waiting. */
  get load(): number {
    return this.limiter.load;
  }
}

/** Resolves after the event loop has handled the I/O already waiting (a `setImmediate`). */
function afterPendingIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
