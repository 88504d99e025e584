/** A value and when it was stored. */
export interface CachedValue<T> {
  value: T;
  storedAt: Date;
}

/**
 * Keeps recent values for a short time, so a burst of identical questions gets one answer.
 * In memory on purpose: the entries live seconds, and a replica without them only recomputes.
 */
export class RecentCache<T> {
  private readonly entries = new Map<string, CachedValue<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => Date,
    private readonly maxEntries = 500,
  ) {}

  /** The value stored under `key` if it is younger than the time to live. */
  get(key: string): CachedValue<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now().getTime() - entry.storedAt.getTime() >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Stores `value` under `key`, dropping the oldest entry past `maxEntries`. */
  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.now() });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** How long values are kept, in milliseconds. */
  get ttl(): number {
    return this.ttlMs;
  }
}
