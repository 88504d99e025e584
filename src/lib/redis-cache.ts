import type { Redis } from 'ioredis';
import type { CachePort } from './cache.js';
import { withTimeout } from './with-timeout.js';

export interface RedisCacheOptions {
  /** Prepended to every key, so several deployments can share one Redis. */
  keyPrefix?: string;
  /** How long one command may take before it counts as failed; a cache must never stall a reply. */
  timeoutMs?: number;
}

/** `CachePort` over an injected ioredis client; every command fails after `timeoutMs`. */
export class RedisCache implements CachePort {
  private readonly keyPrefix: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly redis: Redis,
    options: RedisCacheOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? 's3-chatops:';
    this.timeoutMs = options.timeoutMs ?? 1_000;
  }

  /** The stored value, or `null` when the key is absent or expired. */
  async get(key: string): Promise<string | null> {
    return this.withTimeout(this.redis.get(this.keyPrefix + key), 'GET');
  }

  /** Stores the value for `ttlSeconds` (at least one second). */
  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.withTimeout(this.redis.set(this.keyPrefix + key, value, 'EX', Math.max(1, Math.round(ttlSeconds))), 'SET');
  }

  private withTimeout<T>(command: Promise<T>, name: string): Promise<T> {
    return withTimeout(command, this.timeoutMs, `Redis ${name} took longer than ${this.timeoutMs} ms`);
  }
}
