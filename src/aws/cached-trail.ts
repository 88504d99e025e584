import type { CachePort } from '../lib/cache.js';
import type { Logger } from '../lib/logger.js';
import type { CallOptions, ManagementEventsPort, TrailQuery, TrailRecord } from './ports.js';

/** Bump when the cached value's shape changes, so old entries are not misread. */
const CACHE_VERSION = 'v1';
/** How long one bucket's answer is reused: CloudTrail itself delivers events minutes late. */
export const TRAIL_CACHE_SECONDS = 60;

/**
 * A `ManagementEventsPort` that reuses a bucket's answer for `TRAIL_CACHE_SECONDS` when the same
 * window start (to the minute) is asked again, and lets identical questions in flight share one
 * lookup, so a channel asking at once and every worker's tick cost one paced read. A cache that
 * fails is logged and skipped.
 */
export class CachedManagementEvents implements ManagementEventsPort {
  private readonly inFlight = new Map<string, Promise<TrailRecord[]>>();

  constructor(
    private readonly inner: ManagementEventsPort,
    private readonly cache: CachePort,
    private readonly options: { logger: Logger; scope: string; ttlSeconds?: number },
  ) {}

  /** The bucket's events, from the cache when the same question was answered within the minute. */
  bucketEvents(bucket: string, query: TrailQuery, options: CallOptions = {}): Promise<TrailRecord[]> {
    const startMinute = Math.floor(query.start.getTime() / 60_000);
    const key = `ct:${CACHE_VERSION}:${this.options.scope}:${startMinute}:${bucket}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = this.read(key, bucket, query, options).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  private async read(key: string, bucket: string, query: TrailQuery, options: CallOptions): Promise<TrailRecord[]> {
    const hit = await this.cache.get(key).catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'CloudTrail cache unreadable; asking CloudTrail');
      return null;
    });
    if (hit !== null) {
      const stored = JSON.parse(hit) as { records: (Omit<TrailRecord, 'eventTime'> & { eventTime: string })[] };
      // A cached answer covers up to when it was read; the window asked may end earlier.
      return stored.records.map((r) => ({ ...r, eventTime: new Date(r.eventTime) })).filter((r) => r.eventTime <= query.end);
    }
    const fresh = await this.inner.bucketEvents(bucket, query, options);
    await this.cache.set(key, JSON.stringify({ records: fresh }), this.options.ttlSeconds ?? TRAIL_CACHE_SECONDS).catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'CloudTrail cache unwritable; the next question asks CloudTrail again');
    });
    return fresh;
  }
}
