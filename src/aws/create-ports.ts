import pLimit from 'p-limit';
import type { Config } from '../config/load.js';
import type { Redis } from 'ioredis';
import type { CachePort } from '../lib/cache.js';
import { LocalPacer, sharedOrLocal, type Pacer } from '../lib/local-pacer.js';
import type { Logger } from '../lib/logger.js';
import { RedisPacer } from '../lib/redis-pacer.js';
import { S3BucketFacts } from './bucket-facts.js';
import { CachedCosts } from './cached-costs.js';
import { CachedManagementEvents } from './cached-trail.js';
import { CloudTrailManagementEvents, LOOKUP_REQUESTS_PER_SECOND } from './cloudtrail-events.js';
import type { AwsClients } from './clients.js';
import { CloudWatchMetrics } from './cloudwatch-metrics.js';
import { CostExplorerCosts } from './cost-explorer.js';
import { S3LogObjects } from './log-objects.js';
import { S3ObjectListing } from './object-listing.js';
import type { AwsPorts } from './ports.js';

export interface CreateAwsPortsOptions {
  clients: AwsClients;
  cache: CachePort;
  config: Pick<Config, 'costs'>;
  logger: Logger;
  now: () => Date;
  /** Where CloudTrail's pace is shared by every process (`cloudTrailPacer`); absent: this process alone. */
  trailPacer?: Pacer;
}

/**
 * The pace of LookupEvents for one account and region, shared through Redis by every bot and
 * worker process; while Redis fails, the process paces itself alone.
 */
export function cloudTrailPacer(redis: Redis, scope: string, region: string, logger: Logger): Pacer {
  const shared = new RedisPacer(redis, `s3-chatops:pace:cloudtrail:${scope}:${region}`, LOOKUP_REQUESTS_PER_SECOND);
  return sharedOrLocal(shared, new LocalPacer(LOOKUP_REQUESTS_PER_SECOND), (error) => logger.warn({ err: error }, 'CloudTrail pace unreadable in Redis; pacing this process alone'));
}

/** Log objects read at once by all the access-log windows of one process together. */
export const ACCESS_LOG_READS_AT_ONCE = 8;

/** Wires the SDK adapters into the ports the reports read, with Cost Explorer cached. */
export function createAwsPorts(options: CreateAwsPortsOptions): AwsPorts {
  const { clients, cache, config, logger, now } = options;
  return {
    facts: new S3BucketFacts(clients.s3, logger),
    listing: new S3ObjectListing(clients.s3),
    metrics: new CloudWatchMetrics(clients.cloudWatch),
    costs: new CachedCosts(new CostExplorerCosts(clients.costExplorer, logger, now), cache, {
      cacheHours: config.costs.cacheHours,
      logger,
      scope: clients.endpoint ?? 'aws',
    }),
    accessLogs: { objects: new S3LogObjects(clients.s3), countsCache: cache, readSlots: pLimit(ACCESS_LOG_READS_AT_ONCE) },
    trail: new CachedManagementEvents(new CloudTrailManagementEvents(clients.cloudTrail, options.trailPacer ?? new LocalPacer(LOOKUP_REQUESTS_PER_SECOND)), cache, {
      logger,
      scope: clients.endpoint ?? 'aws',
    }),
  };
}
