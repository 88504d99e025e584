import { COMMAND_DEADLINE_MS, DeadlineExceeded, startDeadline } from '../aws/deadlines.js';
import { BoundedLimiter } from '../lib/bounded-limiter.js';
import { UserFacingError } from '../lib/errors.js';
import { RecentCache } from '../lib/recent-cache.js';
import { SingleFlight } from '../lib/singleflight.js';

export interface AnswerPoolOptions<T = unknown> {
  /** How long a finished answer is reused for identical questions. */
  reuseMs: number;
  /** Computations running at once. */
  concurrency: number;
  /** Computations waiting for a slot before new ones are refused. */
  maxQueue: number;
  /** How long a computation may hold its slot: past it its signal aborts, so it answers with what it has (default `COMMAND_DEADLINE_MS`). */
  deadlineMs?: number;
  /** After the deadline, how long a computation has to answer with what it has before its slot is taken back (default 1 s). */
  graceMs?: number;
  /** Whether a finished answer may be reused; a partial one (a source did not answer) may not. Default: every answer. */
  reusable?: (value: T) => boolean;
  now: () => Date;
}

/** The defaults: answers reused for 20 s, 4 computations at once, 16 waiting, each within 8 s (+1 s to answer). */
export const DEFAULT_ANSWER_POOL: Required<Omit<AnswerPoolOptions, 'now' | 'reusable'>> = { reuseMs: 20_000, concurrency: 4, maxQueue: 16, deadlineMs: COMMAND_DEADLINE_MS, graceMs: 1_000 };

/** The work behind a question: `signal` aborts at the pool's deadline. */
export type PoolWork<T> = (signal: AbortSignal) => Promise<T>;

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

  constructor(private readonly options: AnswerPoolOptions<T>) {
    this.cache = new RecentCache<T>(options.reuseMs, options.now);
    this.limiter = new BoundedLimiter({ concurrency: options.concurrency, maxQueue: options.maxQueue });
  }

  /**
   * Answers `key` from the cache, the computation in flight, or a new one; never awaits, and a new
   * `work` starts only in a `setImmediate`, after the I/O callbacks already due in this loop.
   * `fresh` skips the cache (a Refresh button) but still joins a computation in flight.
   * `deadlineMs` replaces the pool's deadline for this question (a command that reads the whole fleet).
   * `reuse` narrows the sharing for commands that act: `'in-flight'` only joins a computation
   * still running and keeps no answer; `false` runs `compute` every time (still under the limit).
   */
  ask(key: string, work: PoolWork<T>, options: { fresh?: boolean; reuse?: 'recent' | 'in-flight' | false; deadlineMs?: number } = {}): Answer<T> {
    const reuse = options.reuse ?? 'recent';
    // The work starts once the requests already received have been read and acknowledged: in a
    // burst, the first question's AWS calls would otherwise hold up the acknowledgements of the rest.
    const compute = () => afterPendingIo().then(() => this.withinDeadline(work, options.deadlineMs));
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
      if (reuse === 'recent' && (this.options.reusable?.(value) ?? true)) this.cache.set(key, value);
      return value;
    });
    return { kind: 'computing', promise, joined: false };
  }

  /**
   * Runs `work` with a signal that aborts at the deadline; a computation that has not answered
   * by the deadline plus the grace fails, and its slot is given back, whatever it is waiting on.
   */
  private async withinDeadline(work: PoolWork<T>, ownDeadlineMs: number | undefined): Promise<T> {
    const { graceMs = DEFAULT_ANSWER_POOL.graceMs } = this.options;
    const deadlineMs = ownDeadlineMs ?? this.options.deadlineMs ?? DEFAULT_ANSWER_POOL.deadlineMs;
    const deadline = startDeadline(deadlineMs);
    let giveUp: NodeJS.Timeout | undefined;
    const abandoned = new Promise<never>((_, reject) => {
      giveUp = setTimeout(() => reject(new UserFacingError('aws_timeout', `The answer was not ready within ${Math.round(deadlineMs / 1000)} s; try again in a minute.`, { cause: new DeadlineExceeded(deadlineMs) })), deadlineMs + graceMs);
      giveUp.unref();
    });
    try {
      return await Promise.race([work(deadline.signal), abandoned]);
    } finally {
      deadline.stop();
      clearTimeout(giveUp);
    }
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
