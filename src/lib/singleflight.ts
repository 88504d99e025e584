/**
 * Single flight: callers asking for the same key while a computation for it is running share
 * that computation instead of starting their own (the Go `singleflight` idea).
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** Runs `compute` for `key`, or joins the run already in flight; `joined` says which. */
  run(key: string, compute: () => Promise<T>): { promise: Promise<T>; joined: boolean } {
    const running = this.inFlight.get(key);
    if (running) return { promise: running, joined: true };
    const promise = (async () => {
      try {
        return await compute();
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, promise);
    return { promise, joined: false };
  }

  /** The computation in flight for `key`, if any. */
  current(key: string): Promise<T> | undefined {
    return this.inFlight.get(key);
  }

  /** How many distinct keys are being computed now. */
  get size(): number {
    return this.inFlight.size;
  }
}
