/** Per-log-object counts kept in a cache: a log object is parsed once, not on every command or tick. */
import { createHash } from 'node:crypto';
import type { CachePort } from '../lib/cache.js';
import type { Logger } from '../lib/logger.js';
import type { LogObjectCounts } from './counts.js';

/** Longer than the longest window asked (7 days), so a week's objects stay parsed. */
export const COUNTS_TTL_SECONDS = 8 * 86_400;
/** Bumped when `LogObjectCounts` changes shape, so old entries are not misread. */
const VERSION = 'v2';

/** Which log object, and which source bucket's records were counted in it. */
export interface CountsKey {
  logBucket: string;
  key: string;
  etag: string;
  sourceBucket: string;
}

/** The cache key of one object's counts: its identity hashed, so long keys stay short. */
export function countsCacheKey(id: CountsKey): string {
  const hash = createHash('sha256').update([id.logBucket, id.key, id.etag, id.sourceBucket].join('\0')).digest('base64url');
  return `access-log-counts:${VERSION}:${hash}`;
}

/** Reads and writes counts; a cache that fails is logged and treated as empty, never as an error. */
export class CountsCache {
  constructor(
    private readonly cache: CachePort,
    private readonly logger: Logger,
  ) {}

  /** The cached counts, or `null` when absent, unreadable or the cache is down. */
  async get(id: CountsKey): Promise<LogObjectCounts | null> {
    try {
      const text = await this.cache.get(countsCacheKey(id));
      return text === null ? null : (JSON.parse(text) as LogObjectCounts);
    } catch (error) {
      this.logger.warn({ err: error, logBucket: id.logBucket }, 'access-log counts cache read failed; parsing the object');
      return null;
    }
  }

  /** Stores the counts; a failure only costs a parse next time. */
  async set(id: CountsKey, counts: LogObjectCounts): Promise<void> {
    try {
      await this.cache.set(countsCacheKey(id), JSON.stringify(counts), COUNTS_TTL_SECONDS);
    } catch (error) {
      this.logger.warn({ err: error, logBucket: id.logBucket }, 'access-log counts cache write failed');
    }
  }
}
