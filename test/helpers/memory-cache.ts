// A Map standing in for Redis behind the CachePort, for tests and benchmarks that need no Redis.
import type { CachePort } from '../../src/lib/cache.js';

/** Keeps every value with the TTL it was given (never expires it). */
export class MemoryCache implements CachePort {
  readonly entries = new Map<string, { value: string; ttl: number }>();
  async get(key: string): Promise<string | null> {
    return this.entries.get(key)?.value ?? null;
  }
  async set(key: string, value: string, ttl: number): Promise<void> {
    this.entries.set(key, { value, ttl });
  }
}
