import type { App, Receiver, ReceiverEvent } from '@slack/bolt';

/** What the app does with each event a receiver delivers: handle it, or hand it on to Bolt with `next`. */
export type EventGate = (event: ReceiverEvent, next: (event: ReceiverEvent) => Promise<void>) => Promise<void>;

/**
 * A receiver around any Bolt receiver (HTTP, Socket Mode, a test's own): every event it delivers
 * passes `gate` before Bolt's middleware and listeners. Built on the receiver contract itself
 * (`init(app)`, then `app.processEvent(event)` for each event) rather than on replacing
 * `app.processEvent` on the instance, which a Bolt release could stop routing through unnoticed.
 */
export class GatedReceiver implements Receiver {
  constructor(
    private readonly inner: Receiver,
    private readonly gate: EventGate,
  ) {}

  /** Hands the inner receiver an app whose only door is the gate. */
  init(app: App): void {
    const next = (event: ReceiverEvent) => app.processEvent(event);
    // Receivers use nothing of the app but processEvent; anything else they reached for would
    // fail loudly here instead of bypassing the gate.
    const gated = { processEvent: (event: ReceiverEvent) => this.gate(event, next) };
    this.inner.init(gated as unknown as App);
  }

  /** Starts the inner receiver. */
  start(...args: unknown[]): Promise<unknown> {
    return this.inner.start(...args);
  }

  /** Stops the inner receiver. */
  stop(...args: unknown[]): Promise<unknown> {
    return this.inner.stop(...args);
  }
}

/** Counts work being done, so a shutdown can wait until none is left. */
export class InFlight {
  private count = 0;
  private readonly idleWaiters = new Set<() => void>();

  /** How many pieces of work are running now. */
  get size(): number {
    return this.count;
  }

  /** Runs `work`, counted from the call until it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.count += 1;
    try {
      return await work();
    } finally {
      this.count -= 1;
      if (this.count === 0) for (const wake of [...this.idleWaiters]) wake();
    }
  }

  /** Waits until nothing runs, at most `timeoutMs`; false if time ran out. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done = (idle: boolean) => {
        clearTimeout(timer);
        this.idleWaiters.delete(wake);
        resolve(idle);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.idleWaiters.add(wake);
    });
  }
}
