import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RecentCache } from '../lib/recent-cache.js';
import { withTimeout } from '../lib/with-timeout.js';
import { REQUEST_WINDOW_MS } from './request-window.js';

/**
 * Long enough to outlive every copy Slack's window accepts: a request stamped T is accepted from
 * T - 5 min to T + 5 min, so its key must live 10 min from the first copy; a minute more for clocks.
 */
export const DELIVERY_TTL_MS = 2 * REQUEST_WINDOW_MS + 60_000;

export interface DeliveryLedgerOptions {
  /** Shared by every replica; absent: this process only. */
  redis?: Redis;
  /** Before every key, e.g. to keep tests apart. */
  keyPrefix?: string;
  now: () => Date;
  logger: Logger;
  /** How long SET NX may take before this process decides alone; the acknowledgement waits on it. */
  timeoutMs?: number;
  ttlMs?: number;
}

/**
 * Remembers which deliveries were taken, so a retry or a replay is acknowledged and dropped.
 * In Redis (SET NX with a TTL) so every replica sees it; always in this process too, which is all
 * there is when Redis does not answer in time: then a copy reaching this replica is still dropped,
 * one reaching another replica is acted on (the rarer failure, rather than refusing real requests).
 */
export class DeliveryLedger {
  private readonly local: RecentCache<true>;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private lastWarnAt = -Infinity;

  constructor(private readonly options: DeliveryLedgerOptions) {
    this.ttlMs = options.ttlMs ?? DELIVERY_TTL_MS;
    this.timeoutMs = options.timeoutMs ?? 500;
    this.local = new RecentCache<true>(this.ttlMs, options.now, 20_000);
  }

  /** True for the first copy of `key` seen anywhere; false for a copy already taken. */
  async claim(key: string): Promise<boolean> {
    if (this.local.get(key)) return false;
    this.local.set(key, true);
    const { redis } = this.options;
    if (!redis) return true;
    try {
      const set = redis.set(`${this.options.keyPrefix ?? 's3-chatops:'}delivery:${key}`, '1', 'PX', this.ttlMs, 'NX');
      return (await withTimeout(set, this.timeoutMs, `no answer within ${this.timeoutMs} ms`)) === 'OK';
    } catch (error) {
      this.warnRarely(error);
      return true;
    }
  }

  private warnRarely(error: unknown): void {
    const now = this.options.now().getTime();
    if (now - this.lastWarnAt < 60_000) return;
    this.lastWarnAt = now;
    this.options.logger.warn({ err: error }, 'Redis did not record a Slack delivery; retries are deduplicated in this process only until it answers');
  }
}
